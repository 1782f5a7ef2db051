package io.backbone.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.product.DataProduct;
import io.backbone.product.PlatformTopics;
import io.backbone.product.record.CatalogRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every product to the compacted {@code _backbone.catalog} topic, so that any Kafka tool can list the
 * products and the catalog service needs no database: key the product id, value a JSON document with the ODPS
 * descriptor, every contract it binds (ODCS as JSON, with its Avro schema) and the product's version history, each
 * version with the changes from the one before as {@code contract diff} classifies them. A product whose record is
 * unchanged is not republished; a product no longer in the catalog gets a tombstone.
 */
public final class CatalogPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What publishing did. */
    public record Result(List<String> published, List<String> unchanged, List<String> removed) {}

    private final Map<String, Object> clientSettings;

    /** {@code clientSettings}: bootstrap servers and the security settings of the cluster's clients. */
    public CatalogPublisher(Map<String, Object> clientSettings) {
        this.clientSettings = clientSettings;
    }

    public Result publish(List<DataProduct> products) {
        Map<String, JsonNode> current = read();
        List<String> published = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Map<String, Object> config = settings(ProducerConfig.configNames());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            long now = System.currentTimeMillis();
            for (DataProduct p : products) {
                JsonNode before = current.remove(p.id());
                ObjectNode record = CatalogRecord.of(p, before, now);
                if (before != null && CatalogRecord.sameContent(before, record)) {
                    unchanged.add(p.id());
                    continue;
                }
                send(producer, p.id(), bytes(record));
                published.add(p.id());
            }
            for (String gone : current.keySet()) {
                send(producer, gone, null);
                removed.add(gone);
                LOG.info("Product {} is no longer in the catalog: tombstone on {}", gone, PlatformTopics.CATALOG);
            }
            producer.flush();
        }
        return new Result(published, unchanged, removed);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(PlatformTopics.CATALOG, key.getBytes(StandardCharsets.UTF_8), value))
                    .get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot publish product " + key + " to " + PlatformTopics.CATALOG + ": "
                            + e.getCause().getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The catalog topic as it is now: product id → latest value (tombstones and unreadable records dropped). */
    Map<String, JsonNode> read() {
        Map<String, Object> config = settings(ConsumerConfig.configNames());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(PlatformTopics.CATALOG, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + PlatformTopics.CATALOG + " took longer than 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() == null) {
                        continue;
                    }
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        out.remove(key);
                        continue;
                    }
                    try {
                        out.put(key, JSON.readTree(r.value()));
                    } catch (java.io.IOException e) {
                        LOG.warn(
                                "Skipping an unreadable record in {}-{}@{} (key {}): {}",
                                r.topic(),
                                r.partition(),
                                r.offset(),
                                key,
                                e.getMessage());
                    }
                }
            }
        }
        return out;
    }

    private Map<String, Object> settings(java.util.Set<String> known) {
        Map<String, Object> config = new HashMap<>();
        clientSettings.forEach((k, v) -> {
            if (known.contains(k) && v != null) {
                config.put(k, v);
            }
        });
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return config;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
