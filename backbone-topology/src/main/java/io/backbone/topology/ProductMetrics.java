package io.backbone.topology;

import io.backbone.contract.Stage;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * Per-product counters in Kafka Streams' metrics registry (group {@code stream-backbone-product-metrics}, tag
 * {@code backbone-product-id}): {@code valid}, {@code duplicate}, {@code warned}, and {@code dlq-<stage>}, each with
 * a {@code -total} and a {@code -rate}.
 */
public final class ProductMetrics {
    public static final String SCOPE = "backbone-product";
    public static final String GROUP = "stream-backbone-product-metrics";
    public static final String TAG = "backbone-product-id";

    private final Sensor valid;
    private final Sensor duplicate;
    private final Sensor warned;
    private final Map<Stage, Sensor> dlq = new EnumMap<>(Stage.class);

    public ProductMetrics(StreamsMetrics metrics, String productId) {
        valid = sensor(metrics, productId, "valid");
        duplicate = sensor(metrics, productId, "duplicate");
        warned = sensor(metrics, productId, "warned");
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

    public void deadLettered(Stage stage) {
        dlq.get(stage).record();
    }
}
