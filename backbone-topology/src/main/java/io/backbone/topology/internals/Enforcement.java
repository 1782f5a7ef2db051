package io.backbone.topology.internals;

import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * The verdict on one raw record. Passed: the decoded (and corrected) record, ready for deduplication, plus warnings
 * and the properties its normalisers corrected (empty: none). Failed: the
 * stage, the violations and what kind of failure it was (a contract violation or a named exception class).
 */
public record Enforcement(
        GenericRecord record,
        Stage stage,
        List<Violation> violations,
        List<Violation> warnings,
        String failure,
        List<String> corrected) {

    static Enforcement passed(GenericRecord record, List<Violation> warnings, List<String> corrected) {
        return new Enforcement(record, null, List.of(), warnings, null, corrected);
    }

    static Enforcement failed(Stage stage, List<Violation> violations, String failure) {
        return new Enforcement(null, stage, violations, List.of(), failure, List.of());
    }

    public boolean ok() {
        return stage == null;
    }
}
