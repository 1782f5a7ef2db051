package io.backbone.contract;

import java.time.Duration;
import java.util.List;
import org.apache.avro.Schema;

/**
 * A contract turned into what runs per record: its Avro schema, its rules, the masking its audience requires, its
 * deduplication key and window (null key: no deduplication), and the corrections (normalisers) it declares, which run
 * before any rule.
 */
public record CompiledContract(
        DataContract contract,
        Schema schema,
        List<RecordRule> rules,
        List<Mask> masks,
        FieldPath dedupField,
        Duration dedupWindow,
        List<Correction> corrections) {

    public String id() {
        return contract.id();
    }

    public String version() {
        return contract.version();
    }

    public String topic() {
        return contract.topic();
    }

    /** Whether the contract's audience is wider than its own domain, so PII must be masked. */
    public boolean widerThanDomain() {
        return contract.widerThanDomain();
    }
}
