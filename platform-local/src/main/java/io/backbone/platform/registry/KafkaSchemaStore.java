package io.backbone.platform.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Keeps registry state in a compacted single-partition Kafka topic (like Confluent's {@code _schemas}), so ids and
 * versions survive a restart of the registry.
 */
final class KafkaSchemaStore implements SchemaStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String topic;
    private final Map<String, Object> clientConfig;
    private final KafkaProducer<byte[], byte[]> producer;

    KafkaSchemaStore(Map<String, Object> clientConfig, String topic) {
        this.topic = topic;
        this.clientConfig = clientConfig;
        ensureTopic();
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private void ensureTopic() {
        try (Admin admin = Admin.create(clientConfig)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create the registry topic " + topic + ": "
                                + e.getCause().getMessage(),
                        e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        }
    }

    @Override
    public void replay(Consumer<StoreEntry> apply) {
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.put("isolation.level", "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        apply.accept(JSON.readValue(r.value(), StoreEntry.class));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable entry in registry topic " + topic, e);
        }
    }

    @Override
    public void append(StoreEntry entry) {
        try {
            producer.send(new ProducerRecord<>(
                            topic, entry.key().getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(entry)))
                    .get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not store a schema in " + topic + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing a schema", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
