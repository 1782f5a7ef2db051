package io.backbone.topology.internals;

import io.backbone.contract.RuleContext;
import io.backbone.contract.rules.CelEnvironment;
import io.backbone.contract.rules.CelRule;
import io.backbone.serde.AvroDecoder;
import io.backbone.serde.PoisonPillException;
import io.backbone.topology.metrics.ProductMetrics;
import io.backbone.topology.status.StatusWindows;
import java.util.function.Supplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * One input of a join product, read from another product's topic: a record the backbone did not write is skipped and
 * counted (it must never stop the join), the port's filter is applied at the record's own time (so that a replay
 * gives the same product), and the rest goes on to the join unchanged.
 */
public final class JoinInputProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private final String productId;
    private final CelRule filter;
    private final Supplier<AvroDecoder> decoders;
    private ProcessorContext<byte[], byte[]> context;
    private AvroDecoder decoder;
    private RuleContext rules;
    private ProductMetrics metrics;
    private StatusWindows.Product status;

    /** {@code filter} may be null: the port takes every record. */
    public JoinInputProcessor(String productId, CelRule filter, Supplier<AvroDecoder> decoders) {
        this.productId = productId;
        this.filter = filter;
        this.decoders = decoders;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.decoder = decoders.get();
        this.rules = new RuleContext(CelEnvironment::view);
        this.metrics = new ProductMetrics(context.metrics(), productId);
        Object windows = context.appConfigs().get(StatusWindows.CONFIG);
        this.status = windows instanceof StatusWindows w ? w.product(productId) : null;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Object decoded;
        try {
            decoded = decoder.decode(record.value());
        } catch (PoisonPillException e) {
            foreign(e.kind().code() + ": " + e.getMessage());
            return;
        }
        if (!(decoded instanceof GenericRecord value)) {
            foreign("not an Avro record: "
                    + (decoded == null ? "null" : decoded.getClass().getSimpleName()));
            return;
        }
        if (filter == null || filter.check(value, rules.reset(value, record.timestamp())) == null) {
            context.forward(record);
        }
    }

    private void foreign(String reason) {
        metrics.foreign();
        if (status != null) {
            status.foreign(context.currentSystemTimeMs());
        }
        RecordMetadata m = context.recordMetadata().orElse(null);
        ForeignRecords.skipped(
                productId,
                m == null ? "?" : m.topic(),
                m == null ? -1 : m.partition(),
                m == null ? -1 : m.offset(),
                reason);
    }
}
