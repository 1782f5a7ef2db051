package io.backbone.consumer;

import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.ConfluentAvroDeserializer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one data product by name: the catalog says which topic, the type says how to decode it. Only committed
 * records are read ({@code read_committed}), so a consumer never sees what the backbone's transactions aborted.
 */
public final class ProductSubscriber<V extends SpecificRecord> implements AutoCloseable {
    private final KafkaConsumer<String, V> consumer;
    private final String topic;

    private ProductSubscriber(KafkaConsumer<String, V> consumer, String topic) {
        this.consumer = consumer;
        this.topic = topic;
    }

    /** A subscriber of {@code productId} in group {@code groupId}; {@code clientConfig} holds bootstrap and registry settings. */
    public static <V extends SpecificRecord> ProductSubscriber<V> of(
            Map<String, Object> clientConfig, ProductCatalog catalog, String productId, Class<V> type, String groupId) {
        return of(clientConfig, catalog, productId, type, groupId, false);
    }

    /**
     * As {@link #of(Map, ProductCatalog, String, Class, String)}; with {@code replay}, every partition is read from
     * its beginning when first assigned (for views rebuilt in memory), while the group still commits what it read,
     * so that Kafka's tools show its position and lag.
     */
    public static <V extends SpecificRecord> ProductSubscriber<V> of(
            Map<String, Object> clientConfig,
            ProductCatalog catalog,
            String productId,
            Class<V> type,
            String groupId,
            boolean replay) {
        DataProduct product = catalog.product(productId);
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                config,
                new StringDeserializer(),
                new ConfluentAvroDeserializer<>(new RestSchemaRegistryClient(config), type));
        if (replay) {
            java.util.Set<TopicPartition> replayed = new java.util.HashSet<>();
            consumer.subscribe(
                    List.of(product.productTopic()), new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
                        @Override
                        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

                        @Override
                        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                            List<TopicPartition> fresh =
                                    partitions.stream().filter(replayed::add).toList();
                            consumer.seekToBeginning(fresh);
                        }
                    });
        } else {
            consumer.subscribe(List.of(product.productTopic()));
        }
        return new ProductSubscriber<>(consumer, product.productTopic());
    }

    public String topic() {
        return topic;
    }

    public ConsumerRecords<String, V> poll(Duration timeout) {
        return consumer.poll(timeout);
    }

    public void commit() {
        consumer.commitSync();
    }

    /** Whether this subscriber has read up to the end of every assigned partition. */
    public boolean caughtUp() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return false;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
        return assigned.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
