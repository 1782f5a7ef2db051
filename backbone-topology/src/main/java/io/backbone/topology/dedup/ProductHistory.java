package io.backbone.topology.dedup;

import io.backbone.product.DataProduct;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a task reads the recent records of its product topic from when it rebuilds its seen event ids (dedup mode
 * {@code product-topic}): the cluster in production ({@link #kafka()}), a list in tests that run the topology
 * without a broker.
 */
@FunctionalInterface
public interface ProductHistory {
    /**
     * Hands every committed record of {@code product}'s topic that holds {@code taskPartition}'s keys and was
     * written since {@code sinceMillis} to {@code each}.
     */
    void read(
            Map<String, Object> appConfigs,
            DataProduct product,
            int taskPartition,
            long sinceMillis,
            Consumer<ConsumerRecord<byte[], byte[]>> each);

    /** Reads the product topic on the cluster the application runs against, {@code read_committed}. */
    static ProductHistory kafka() {
        return KafkaProductHistory::read;
    }
}
