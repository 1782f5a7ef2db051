package io.backbone.topology.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The backbone's {@link ProductMetrics} as Prometheus counters with the names operators query and alert on:
 *
 * <ul>
 *   <li>{@code backbone_records_published_total{product}}: valid records published to the product topic;
 *   <li>{@code backbone_records_duplicate_total{product}}: duplicates dropped;
 *   <li>{@code backbone_records_warned_total{product}}: published with a warning-severity violation;
 *   <li>{@code backbone_foreign_records_skipped_total{product}}: records the backbone did not write, skipped;
 *   <li>{@code backbone_dead_letters_total{product,stage}}: dead-lettered, by the stage that refused them;
 *   <li>{@code backbone_rule_violations_total{product,rule,severity}}: per contract rule, {@code error} or
 *       {@code warning};
 *   <li>{@code backbone_corrections_total{product,property}}: published records a contract normaliser corrected,
 *       per property.
 * </ul>
 *
 * Kafka Streams keeps one sensor per stream thread; a counter here is their sum, and a replaced thread's last
 * value is kept so that a counter never goes down. Call {@link #refresh()} before each scrape: rules appear the
 * first time they fail, properties the first time they are corrected.
 */
public final class BackboneMeters implements MeterBinder {
    public static final String PUBLISHED = "backbone.records.published";
    public static final String DUPLICATE = "backbone.records.duplicate";
    public static final String WARNED = "backbone.records.warned";
    public static final String FOREIGN = "backbone.foreign.records.skipped";
    public static final String DEAD_LETTERS = "backbone.dead.letters";
    public static final String RULE_VIOLATIONS = "backbone.rule.violations";
    public static final String CORRECTIONS = "backbone.corrections";

    private final Supplier<Map<MetricName, ? extends Metric>> metrics;
    /** Per counter (name and tags): the sum over live sensors plus what retired sensors had counted. */
    private final Map<Key, double[]> values = new ConcurrentHashMap<>();

    private final Map<MetricName, Double> lastSeen = new HashMap<>();
    private final Map<Key, Double> retired = new HashMap<>();
    private MeterRegistry registry;

    public BackboneMeters(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        this.metrics = metrics;
    }

    private record Key(String name, Tags tags) {}

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        refresh();
    }

    /** Re-reads the sensors, registering a counter for each product, stage and rule seen for the first time. */
    public synchronized void refresh() {
        Map<Key, Double> sums = new HashMap<>();
        Map<MetricName, Double> seen = new HashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
            Key key = key(e.getKey());
            if (key != null && e.getValue().metricValue() instanceof Double d) {
                sums.merge(key, d, Double::sum);
                seen.put(e.getKey(), d);
            }
        }
        for (Map.Entry<MetricName, Double> old : lastSeen.entrySet()) {
            if (!seen.containsKey(old.getKey())) {
                Key key = key(old.getKey());
                retired.merge(key, old.getValue(), Double::sum);
                sums.putIfAbsent(key, 0.0);
            }
        }
        lastSeen.clear();
        lastSeen.putAll(seen);
        for (Map.Entry<Key, Double> e : sums.entrySet()) {
            Key key = e.getKey();
            double total = e.getValue() + retired.getOrDefault(key, 0.0);
            double[] cell = values.get(key);
            if (cell == null) {
                double[] fresh = {total};
                values.put(key, fresh);
                FunctionCounter.builder(key.name(), fresh, c -> c[0])
                        .tags(key.tags())
                        .description(description(key.name()))
                        .register(registry);
            } else {
                cell[0] = Math.max(cell[0], total);
            }
        }
    }

    /** A gauge {@code backbone_streams_running}: 1 while Kafka Streams is RUNNING, else 0. */
    public static void bindRunning(MeterRegistry registry, Supplier<Boolean> running) {
        Gauge.builder("backbone.streams.running", () -> running.get() ? 1 : 0)
                .description("1 while the backbone's Kafka Streams state is RUNNING, 0 while it rebalances or stops")
                .register(registry);
    }

    private static Key key(MetricName name) {
        if (!name.name().endsWith("-total")) {
            return null;
        }
        String op = name.name().substring(0, name.name().length() - "-total".length());
        if (name.group().equals(ProductMetrics.GROUP)) {
            String product = name.tags().get(ProductMetrics.TAG);
            if (product == null) {
                return null;
            }
            Tags tags = Tags.of("product", product);
            return switch (op) {
                case "valid" -> new Key(PUBLISHED, tags);
                case "duplicate" -> new Key(DUPLICATE, tags);
                case "warned" -> new Key(WARNED, tags);
                case "foreign" -> new Key(FOREIGN, tags);
                default ->
                    op.startsWith("dlq-")
                            ? new Key(DEAD_LETTERS, tags.and("stage", op.substring("dlq-".length())))
                            : null;
            };
        }
        if (name.group().equals(ProductMetrics.RULE_GROUP)) {
            String id = name.tags().get(ProductMetrics.RULE_TAG);
            int slash = id == null ? -1 : id.indexOf('/');
            if (slash < 0) {
                return null;
            }
            String severity = op.equals("failed") ? "error" : "warning";
            return new Key(
                    RULE_VIOLATIONS,
                    Tags.of(
                            "product", id.substring(0, slash),
                            "rule", id.substring(slash + 1),
                            "severity", severity));
        }
        if (name.group().equals(ProductMetrics.CORRECTION_GROUP)) {
            String id = name.tags().get(ProductMetrics.CORRECTION_TAG);
            int slash = id == null ? -1 : id.indexOf('/');
            if (slash < 0) {
                return null;
            }
            return new Key(
                    CORRECTIONS, Tags.of("product", id.substring(0, slash), "property", id.substring(slash + 1)));
        }
        return null;
    }

    private static String description(String name) {
        return switch (name) {
            case PUBLISHED -> "Valid records published to the data product topic";
            case DUPLICATE -> "Duplicate events dropped (same event id within the product's dedup window)";
            case WARNED -> "Records published with a warning-severity rule violation";
            case FOREIGN -> "Records in a topic the backbone reads that it did not write, skipped and counted";
            case DEAD_LETTERS -> "Records routed to the product's dead-letter topic, by the stage that refused them";
            case RULE_VIOLATIONS -> "Contract rule violations, per rule and severity";
            case CORRECTIONS -> "Published records whose property a contract normaliser corrected, per property";
            default -> name;
        };
    }
}
