package io.backbone.topology;

import io.backbone.contract.Masker;
import io.backbone.platform.registry.EmbeddedSchemaRegistry;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RegistryClientConfig;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.ConfluentAvroDeserializer;
import io.backbone.serde.ConfluentAvroSerializer;
import io.backbone.topology.dedup.DedupMode;
import io.backbone.topology.internals.DeadLetterProcessingExceptionHandler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;

/**
 * The shipped catalog's topology under {@link TopologyTestDriver} with a real embedded registry, in the dedup mode
 * the subclass is run with. In mode {@code product-topic} a task rebuilds its seen ids from {@link #productHistory},
 * which a test fills as a restarted task would find its product topic.
 */
abstract class TopologyTestSupport {
    static final byte[] SECRET = "test-secret-at-least-16-bytes".getBytes(StandardCharsets.UTF_8);
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    @Parameter
    DedupMode dedup;

    EmbeddedSchemaRegistry registry;
    RestSchemaRegistryClient client;
    ConfluentAvroSerializer<SpecificRecord> serializer;
    TopologyTestDriver driver;
    Masker masker = new Masker(SECRET);
    final List<ConsumerRecord<byte[], byte[]>> productHistory = new ArrayList<>();

    @BeforeEach
    void start() {
        registry = EmbeddedSchemaRegistry.builder().start();
        client = new RestSchemaRegistryClient(Map.of(
                RegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url(),
                RegistryClientConfig.MAX_RETRIES, "1",
                RegistryClientConfig.RETRY_BACKOFF_MS, "10"));
        serializer = new ConfluentAvroSerializer<>(client);
        serializer.configure(Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url()), false);
        driver = newDriver("backbone-test");
    }

    @AfterEach
    void stop() {
        driver.close();
        registry.close();
    }

    TopologyTestDriver newDriver(String applicationId) {
        return new TopologyTestDriver(
                BackboneTopology.topology(products(), client, masker, dedup, this::history),
                driverProperties(applicationId),
                NOW.plusSeconds(60));
    }

    static List<DataProduct> products() {
        return ProductCatalog.shipped().products();
    }

    /** What {@link BackboneApp} gives Kafka Streams: the handler, and the products it finds DLQs in. */
    static Properties driverProperties(String applicationId) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingExceptionHandler.class);
        props.put(DeadLetterProcessingExceptionHandler.PRODUCTS_CONFIG, products());
        props.put(DeadLetterProcessingExceptionHandler.MISCONFIGURED_PAUSE_MS_CONFIG, "0");
        return props;
    }

    void history(
            Map<String, Object> configs,
            DataProduct product,
            int partition,
            long since,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        productHistory.stream()
                .filter(r -> r.topic().equals(product.productTopic()))
                .filter(r -> r.timestamp() >= since)
                .forEach(each);
    }

    TestInputTopic<String, byte[]> raw(String topic) {
        return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
    }

    TestOutputTopic<String, byte[]> out(String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    byte[] encode(String topic, SpecificRecord event) {
        return serializer.serialize(topic, event);
    }

    <T> T decode(byte[] bytes, Class<T> type) {
        return new ConfluentAvroDeserializer<>(client, type).deserialize("any", bytes);
    }
}
