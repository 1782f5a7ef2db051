package io.backbone.topology.internals;

import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * The verdict on one raw record. Passed: the decoded record, ready for deduplication, plus warnings. Failed: the
 * stage, the violations and what kind of failure it was (a contract violation or a named exception class).
 */
public record Enforcement(
        GenericRecord record, Stage stage, List<Violation> violations, List<Violation> warnings, String failure) {

    static Enforcement passed(GenericRecord record, List<Violation> warnings) {
        return new Enforcement(record, null, List.of(), warnings, null);
    }

    static Enforcement failed(Stage stage, List<Violation> violations, String failure) {
        return new Enforcement(null, stage, violations, List.of(), failure);
    }

    public boolean ok() {
        return stage == null;
    }
}
