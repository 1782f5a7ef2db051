package io.backbone.topology.internals;

import io.backbone.topology.dedup.DedupMode;
import io.backbone.topology.dedup.ProductHistory;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Enforces one product's contracts on each raw record: violations are routed to the DLQ with their provenance,
 * duplicates (same event id within the contract's window) are dropped and counted, the rest is masked and encoded
 * for the product topic.
 */
public final class ContractProcessor extends EnforcingProcessor<byte[]> {

    public ContractProcessor(
            Supplier<ContractEnforcer> enforcers, DedupMode dedup, ProductHistory history, String dedupStoreName) {
        super(enforcers, dedup, history, dedupStoreName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        route(record, enforcer.check(record.value(), context.currentSystemTimeMs()));
    }

    /** Publishes or dead-letters {@code record} by {@code verdict}, the enforcer's on its value. */
    void route(Record<byte[], byte[]> record, Enforcement verdict) {
        if (!verdict.ok()) {
            deadLetter(record, record.value(), verdict.stage(), verdict.violations(), verdict.failure());
            return;
        }
        publish(record, verdict, record.value());
    }
}
