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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProductSubscriber.class);

    private final KafkaConsumer<String, V> consumer;
    private final String topic;
    private final String deprecation;

    private ProductSubscriber(KafkaConsumer<String, V> consumer, String topic, String deprecation) {
        this.consumer = consumer;
        this.topic = topic;
        this.deprecation = deprecation;
    }

    /**
     * A subscriber of major version {@code major} of the product {@code name} (its descriptor's id): the output port
     * whose topic is {@code <domain>.product.<name>.v<major>}. When that version is deprecated, one warning is logged
     * (since when, the sunset, the successor); a retired or unknown major is refused, naming the live ones.
     */
    public static <V extends SpecificRecord> ProductSubscriber<V> of(
            Map<String, Object> clientConfig,
            ProductCatalog catalog,
            String name,
            int major,
            Class<V> type,
            String groupId) {
        return of(clientConfig, catalog, version(catalog, name, major).id(), type, groupId, false);
    }

    /** The output port of product {@code name} publishing major {@code major}. */
    public static DataProduct version(ProductCatalog catalog, String name, int major) {
        java.util.function.Predicate<DataProduct> ofName = p -> p.id().equals(name) || p.id().startsWith(name + ".");
        String suffix = ".v" + major;
        for (DataProduct p : catalog.retired()) {
            if (ofName.test(p) && p.productTopic().endsWith(suffix)) {
                throw new IllegalArgumentException("major " + major + " of product '" + name + "' ("
                        + p.productTopic() + ") is retired since its sunset "
                        + p.output().contract().lifecycle().sunset() + "; subscribe to its successor "
                        + p.output().contract().lifecycle().successor());
            }
        }
        List<DataProduct> versions = catalog.products().stream().filter(ofName).toList();
        return versions.stream()
                .filter(p -> p.productTopic().endsWith(suffix))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("product '" + name + "' has no live major " + major
                        + (versions.isEmpty()
                                ? "; known products: "
                                        + catalog.products().stream()
                                                .map(DataProduct::id)
                                                .toList()
                                : "; its live versions: "
                                        + versions.stream()
                                                .map(DataProduct::productTopic)
                                                .toList())));
    }

    /** Why this subscriber's version is deprecated, or null when it is not. */
    public String deprecation() {
        return deprecation;
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
        String deprecation = null;
        io.backbone.contract.Lifecycle lifecycle = product.output().contract().lifecycle();
        if (lifecycle.deprecated()) {
            deprecation = product.productTopic() + " (" + product.output().id() + ") is deprecated since "
                    + lifecycle.deprecatedOn() + " and stops being published at its sunset " + lifecycle.sunset()
                    + "; move group " + groupId + " to its successor " + lifecycle.successor();
            LOG.warn(deprecation);
        }
        return new ProductSubscriber<>(consumer, product.productTopic(), deprecation);
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
