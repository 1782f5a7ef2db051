package io.backbone.topology.internals;

import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import io.backbone.contract.rules.CelEnvironment;
import io.backbone.contract.rules.FieldMapping;
import io.backbone.product.JoinSpec;
import io.backbone.serde.AvroDecoder;
import io.backbone.topology.dedup.DedupMode;
import io.backbone.topology.dedup.ProductHistory;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Builds a join product's record from the matched pair with the output contract's {@code source} expressions, then
 * enforces the output contract on it like any product. A pair whose record cannot be built goes to the DLQ at stage
 * transform, carrying the left record's bytes.
 */
public final class JoinProcessor extends EnforcingProcessor<Joined> {
    private final Supplier<AvroDecoder> decoders;
    private AvroDecoder decoder;

    public JoinProcessor(
            Supplier<ContractEnforcer> enforcers,
            DedupMode dedup,
            ProductHistory history,
            String dedupStoreName,
            Supplier<AvroDecoder> decoders) {
        super(enforcers, dedup, history, dedupStoreName);
        this.decoders = decoders;
    }

    @Override
    public void init(org.apache.kafka.streams.processor.api.ProcessorContext<byte[], byte[]> context) {
        super.init(context);
        this.decoder = decoders.get();
    }

    @Override
    public void process(Record<byte[], Joined> record) {
        JoinSpec join = product.join();
        GenericRecord out = new GenericData.Record(product.output().schema());
        try {
            Map<String, Object> left = CelEnvironment.view(
                    (GenericRecord) decoder.decode(record.value().left()));
            Map<String, Object> right = CelEnvironment.view(
                    (GenericRecord) decoder.decode(record.value().right()));
            for (FieldMapping m : join.mappings()) {
                out.put(m.position(), m.evaluate(left, right));
            }
        } catch (io.backbone.registry.RegistryUnavailableException
                | io.backbone.registry.RegistryMisconfiguredException e) {
            // the registry, not the record: retried, never dead-lettered
            throw e;
        } catch (Exception e) {
            deadLetter(
                    record,
                    record.value().left(),
                    Stage.TRANSFORM,
                    List.of(new Violation(
                            "join.source",
                            "",
                            "the joined record cannot be built: " + e,
                            Severity.ERROR,
                            Stage.TRANSFORM)),
                    e.getClass().getName());
            return;
        }
        Enforcement verdict = enforcer.checkRecord(out, context.currentSystemTimeMs());
        if (!verdict.ok()) {
            deadLetter(record, record.value().left(), verdict.stage(), verdict.violations(), verdict.failure());
            return;
        }
        publish(record, verdict, record.value().left());
    }
}
