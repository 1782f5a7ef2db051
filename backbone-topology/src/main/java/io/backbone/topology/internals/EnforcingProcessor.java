package io.backbone.topology.internals;

import io.backbone.contract.CompiledContract;
import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import io.backbone.dlq.DeadLetter;
import io.backbone.product.DataProduct;
import io.backbone.topology.dedup.DedupMode;
import io.backbone.topology.dedup.ProductHistory;
import io.backbone.topology.metrics.ProductMetrics;
import io.backbone.topology.status.StatusWindows;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every product's last steps share: a record that passed its checks is deduplicated, masked, encoded and sent
 * to the product topic; a record that failed goes to the DLQ with its provenance; both are counted.
 */
abstract class EnforcingProcessor<V> implements Processor<byte[], V, byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(EnforcingProcessor.class);

    private final Supplier<ContractEnforcer> enforcers;
    private final DedupMode dedup;
    private final ProductHistory history;
    private final String dedupStoreName;
    protected ContractEnforcer enforcer;
    protected DataProduct product;
    protected ProcessorContext<byte[], byte[]> context;
    private WindowStore<String, Long> seen;
    private SeenIds seenIds;
    private Duration window;
    private ProductMetrics metrics;
    private StatusWindows.Product status;
    private String productSink;
    private String dlqSink;
    private String instance;
    /** The deprecation and sunset headers of a deprecated product version (null: active). */
    private byte[] deprecatedOn;

    private byte[] sunset;
    /** Prefixes of the producer headers a product record keeps ({@code backbone.product.headers}). */
    private String[] productHeaders;

    EnforcingProcessor(
            Supplier<ContractEnforcer> enforcers, DedupMode dedup, ProductHistory history, String dedupStoreName) {
        this.enforcers = enforcers;
        this.dedup = dedup;
        this.history = history;
        this.dedupStoreName = dedupStoreName;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.enforcer = enforcers.get();
        this.product = enforcer.product();
        this.metrics = new ProductMetrics(context.metrics(), product.id());
        Object windows = context.appConfigs().get(StatusWindows.CONFIG);
        this.status = windows instanceof StatusWindows w ? w.product(product.id()) : null;
        this.productSink = NodeNames.product(product.id());
        this.dlqSink = NodeNames.deadLetter(product.id());
        this.instance = DeadLetter.instance(String.valueOf(context.appConfigs().get("application.id")));
        this.productHeaders = ProductHeaders.prefixes(context.appConfigs().get(ProductHeaders.CONFIG));
        io.backbone.contract.Lifecycle lifecycle = product.output().contract().lifecycle();
        if (lifecycle.deprecated()) {
            this.deprecatedOn = String.valueOf(lifecycle.deprecatedOn()).getBytes(StandardCharsets.UTF_8);
            this.sunset = String.valueOf(lifecycle.sunset()).getBytes(StandardCharsets.UTF_8);
        }
        if (product.dedupField() == null) {
            return;
        }
        this.window = product.dedupWindow();
        if (dedup == DedupMode.CHANGELOG) {
            this.seen = context.getStateStore(dedupStoreName);
        } else if (dedup == DedupMode.PRODUCT_TOPIC) {
            this.seenIds = ProductTopicRestore.restore(
                    history,
                    context.appConfigs(),
                    product,
                    enforcer.productDecoder(),
                    metrics,
                    context.taskId().partition(),
                    context.currentSystemTimeMs());
        }
    }

    /**
     * Publishes the record of {@code verdict}, which passed its checks (with its warnings and corrections), unless it
     * is a duplicate. Its event id counts as seen only once the record is forwarded: one that fails to encode can be
     * sent again. A corrected record carries {@link DeadLetter#CORRECTED} and counts once per corrected property.
     */
    protected void publish(Record<byte[], V> record, Enforcement verdict, byte[] original) {
        GenericRecord value = verdict.record();
        List<Violation> warnings = verdict.warnings();
        Object id = seen != null || seenIds != null ? product.dedupField().first(value) : null;
        long idHash = 0;
        if (id != null) {
            long timestamp = record.timestamp();
            boolean duplicate;
            if (seenIds != null) {
                idHash = SeenIds.hash(id instanceof CharSequence text ? text : id.toString());
                duplicate = seenIds.seen(idHash, timestamp);
            } else {
                duplicate = inStore(id.toString(), timestamp);
            }
            if (duplicate) {
                metrics.duplicate();
                if (status != null) {
                    status.duplicate(record.timestamp(), context.currentSystemTimeMs());
                }
                return;
            }
        }
        ContractEnforcer.Published published = enforcer.publish(value);
        if (published.value() == null && !published.tombstone()) {
            deadLetter(
                    record,
                    original,
                    published.stage(),
                    List.of(published.violation()),
                    published.error().getClass().getName());
            return;
        }
        Headers headers = record.headers();
        DeadLetter.keepForProduct(headers, productHeaders);
        if (!warnings.isEmpty()) {
            metrics.warned();
            metrics.violated(warnings);
            if (status != null) {
                status.warned(record.timestamp(), context.currentSystemTimeMs(), warnings);
            }
            headers.add(DeadLetter.WARNINGS, DeadLetter.toJson(warnings).getBytes(StandardCharsets.UTF_8));
        }
        List<String> corrected = verdict.corrected();
        if (!corrected.isEmpty()) {
            metrics.corrected(corrected);
            headers.add(DeadLetter.CORRECTED, String.join(",", corrected).getBytes(StandardCharsets.UTF_8));
        }
        if (deprecatedOn != null) {
            headers.add(DeadLetter.DEPRECATION, deprecatedOn);
            headers.add(DeadLetter.SUNSET, sunset);
        }
        metrics.valid();
        if (status != null) {
            status.valid(record.timestamp(), context.currentSystemTimeMs());
        }
        if (id != null && product.isEntity()) {
            // an entity's value is its state: the change id rides in a header, for rebuilding the seen ids
            headers.remove(DeadLetter.CHANGE_ID);
            headers.add(DeadLetter.CHANGE_ID, id.toString().getBytes(StandardCharsets.UTF_8));
        }
        context.forward(record.withValue(published.value()), productSink);
        if (id != null) {
            if (seenIds != null) {
                seenIds.add(idHash, record.timestamp());
            } else {
                seen.put(id.toString(), record.timestamp(), record.timestamp());
            }
        }
    }

    private boolean inStore(String key, long timestamp) {
        try (WindowStoreIterator<Long> hits =
                seen.fetch(key, timestamp - window.toMillis(), timestamp + window.toMillis())) {
            return hits.hasNext();
        }
    }

    /** Sends {@code original} (untouched) with {@code record}'s headers and the dead-letter headers to the DLQ. */
    protected void deadLetter(
            Record<byte[], V> record, byte[] original, Stage stage, List<Violation> violations, String failure) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        String topic = source == null ? String.join(",", product.sourceTopics()) : source.topic();
        int partition = source == null ? -1 : source.partition();
        long offset = source == null ? -1 : source.offset();
        CompiledContract contract = contractOf(stage, violations);
        Headers headers = record.headers();
        DeadLetter.dropReserved(headers);
        DeadLetter.annotate(
                headers,
                product.id(),
                contract.id(),
                contract.version(),
                stage,
                violations,
                failure,
                topic,
                partition,
                offset);
        metrics.deadLettered(stage);
        metrics.violated(violations);
        if (status != null) {
            status.deadLettered(record.timestamp(), context.currentSystemTimeMs(), stage, violations);
        }
        LOG.debug(
                "{}-{}@{} → {} ({}: {})",
                topic,
                partition,
                offset,
                product.dlqTopic(),
                stage.code(),
                violations.get(0).rule());
        DeadLetter.failedAt(headers, record.timestamp(), instance);
        // stamped with the time of failure, so the DLQ's retention counts from when it failed, not from the event
        context.forward(new Record<>(record.key(), original, context.currentSystemTimeMs(), headers), dlqSink);
    }

    /** The contract whose rule failed first: decoding and schema belong to the input (raw) contract. */
    private CompiledContract contractOf(Stage stage, List<Violation> violations) {
        if (stage == Stage.DESERIALIZE
                || stage == Stage.SCHEMA && violations.get(0).rule().equals("schema.compatible")) {
            return product.input();
        }
        String rule = violations.get(0).rule();
        boolean inInput =
                product.input().rules().stream().anyMatch(r -> r.name().equals(rule));
        return inInput ? product.input() : product.output();
    }
}
