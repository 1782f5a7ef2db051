package io.backbone.producer.publish;

import io.backbone.contract.ContractViolationException;
import io.backbone.contract.Violation;
import io.backbone.kafka.ClientSettings;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.registry.SchemaRegistryClient;
import io.backbone.serde.ConfluentAvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a domain service publishes: an idempotent producer with {@code acks=all}, the entity id as key, the value in
 * Confluent's Avro wire format, CloudEvents headers. Every send returns a future that completes with where the
 * record landed or fails with why, so callers decide what a failure means.
 */
public final class EventPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    private final String source;
    private final KafkaProducer<String, byte[]> producer;
    private final SchemaRegistryClient registry;
    private final ConfluentAvroSerializer<SpecificRecord> serializer;
    private final ContractCheck contractCheck;

    /** {@code source}: the CloudEvents source of this service, e.g. {@code /shop/orders-service}. */
    public EventPublisher(ClientSettings settings, String source) {
        this(settings, source, ContractCheck.off());
    }

    /** A publisher that checks each event against its topic's contracts before sending, as {@code check} says. */
    public EventPublisher(ClientSettings settings, String source, ContractCheck check) {
        this.source = source;
        this.contractCheck = check;
        Map<String, Object> config = new HashMap<>(settings.clientConfig());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        config.putIfAbsent(
                ProducerConfig.CLIENT_ID_CONFIG,
                source.replaceAll("[^A-Za-z0-9-]", "-").replaceAll("^-+", ""));
        this.registry = new RestSchemaRegistryClient(config);
        this.serializer = new ConfluentAvroSerializer<>(registry);
        this.serializer.configure(config, false);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Publishes {@code event} under {@code key}; {@code type} and {@code id} become CloudEvents attributes. With a
     * contract check in reject mode, an event that breaks its contract is not sent and the future fails with
     * {@link ContractViolationException}; in warn mode it is logged and sent.
     */
    public CompletableFuture<RecordMetadata> publish(
            String topic, String key, SpecificRecord event, String id, String type, Instant time) {
        List<Violation> violations = contractCheck.check(topic, (GenericRecord) event);
        if (!violations.isEmpty()) {
            if (contractCheck.mode() == ContractCheck.Mode.REJECT) {
                return CompletableFuture.failedFuture(new ContractViolationException(topic, violations));
            }
            LOG.warn(
                    "Event {} for {} breaks its contract and will be dead-lettered: {}",
                    id,
                    topic,
                    violations.stream().map(Violation::rule).toList());
        }
        byte[] value = serializer.serialize(topic, event);
        return send(topic, key, value, CloudEventHeaders.of(id, source, type, time, key));
    }

    /** The Avro bytes {@link #publish} would send, for simulators that spoil them. */
    public byte[] encode(String topic, SpecificRecord event) {
        return serializer.serialize(topic, event);
    }

    /** Sends bytes as they are; used by simulators to inject poison pills. */
    public CompletableFuture<RecordMetadata> send(String topic, String key, byte[] value, Headers headers) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, null, key, value, headers), (metadata, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(metadata);
            }
        });
        return result;
    }

    public String source() {
        return source;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
        serializer.close();
    }
}
