package io.backbone.topology.metrics;

import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * Per-product counters in Kafka Streams' metrics registry (group {@code stream-backbone-product-metrics}, tag
 * {@code backbone-product-id}): {@code valid}, {@code duplicate}, {@code warned}, {@code dlq-<stage>}, and
 * {@code foreign} (records in a product topic it reads that the backbone did not write, skipped); and per
 * rule (group {@code stream-backbone-rule-metrics}, tag {@code backbone-rule-id} = {@code <product>/<rule>}):
 * {@code failed} and {@code warned}; and per corrected property (group {@code stream-backbone-correction-metrics}, tag
 * {@code backbone-correction-id} = {@code <product>/<property>}): {@code corrected}, published records whose value
 * of that property a normaliser changed. Each has a {@code -total} and a {@code -rate}.
 */
public final class ProductMetrics {
    public static final String SCOPE = "backbone-product";
    public static final String GROUP = "stream-backbone-product-metrics";
    public static final String TAG = "backbone-product-id";
    public static final String RULE_SCOPE = "backbone-rule";
    public static final String RULE_GROUP = "stream-backbone-rule-metrics";
    public static final String RULE_TAG = "backbone-rule-id";
    public static final String CORRECTION_SCOPE = "backbone-correction";
    public static final String CORRECTION_GROUP = "stream-backbone-correction-metrics";
    public static final String CORRECTION_TAG = "backbone-correction-id";

    private final Sensor valid;
    private final Sensor duplicate;
    private final Sensor warned;
    private final Sensor foreign;
    private final Map<Stage, Sensor> dlq = new EnumMap<>(Stage.class);
    private final Map<String, Sensor> rules = new HashMap<>();
    private final Map<String, Sensor> corrections = new HashMap<>();
    private final StreamsMetrics metrics;
    private final String productId;

    public ProductMetrics(StreamsMetrics metrics, String productId) {
        this.metrics = metrics;
        this.productId = productId;
        valid = sensor(metrics, productId, "valid");
        duplicate = sensor(metrics, productId, "duplicate");
        warned = sensor(metrics, productId, "warned");
        foreign = sensor(metrics, productId, "foreign");
        for (Stage s : Stage.values()) {
            dlq.put(s, sensor(metrics, productId, "dlq-" + s.code()));
        }
    }

    private static Sensor sensor(StreamsMetrics metrics, String productId, String operation) {
        return metrics.addRateTotalSensor(SCOPE, productId, operation, Sensor.RecordingLevel.INFO);
    }

    public void valid() {
        valid.record();
    }

    public void duplicate() {
        duplicate.record();
    }

    public void warned() {
        warned.record();
    }

    /** A record the backbone did not write was found in a product topic this product reads, and skipped. */
    public void foreign() {
        foreign.record();
    }

    public void deadLettered(Stage stage) {
        dlq.get(stage).record();
    }

    /** Counts a published record against each property its normalisers corrected. */
    public void corrected(List<String> properties) {
        for (int i = 0; i < properties.size(); i++) {
            String property = properties.get(i);
            Sensor sensor = corrections.get(property);
            if (sensor == null) {
                sensor = metrics.addRateTotalSensor(
                        CORRECTION_SCOPE, productId + "/" + property, "corrected", Sensor.RecordingLevel.INFO);
                corrections.put(property, sensor);
            }
            sensor.record();
        }
    }

    /** Counts each violation against its rule: {@code failed} for errors, {@code warned} for warnings. */
    public void violated(List<Violation> violations) {
        for (Violation v : violations) {
            String operation = v.severity() == Severity.ERROR ? "failed" : "warned";
            rules.computeIfAbsent(
                            v.rule() + "|" + operation,
                            k -> metrics.addRateTotalSensor(
                                    RULE_SCOPE, productId + "/" + v.rule(), operation, Sensor.RecordingLevel.INFO))
                    .record();
        }
    }
}
