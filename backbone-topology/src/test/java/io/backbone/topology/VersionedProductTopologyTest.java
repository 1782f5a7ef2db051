package io.backbone.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.catalog.CatalogSource;
import io.backbone.contract.Masker;
import io.backbone.dlq.DeadLetter;
import io.backbone.platform.registry.EmbeddedSchemaRegistry;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RegistryClientConfig;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.serde.ConfluentAvroSerializer;
import io.backbone.topology.dedup.DedupMode;
import io.backbone.topology.internals.DeadLetterProcessingExceptionHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A product with two live majors fed by one raw stream (test catalog {@code catalogs/versioned}): v2 has the raw
 * stream's shape, v1 (deprecated) keeps its old one through a mapping declared in its contract. Each major applies
 * its own corrections, rules and masking; an event can pass one and be dead-lettered by the other.
 */
class VersionedProductTopologyTest {
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final Path CATALOG = Path.of("src/test/resources/catalogs/versioned");

    EmbeddedSchemaRegistry registry;
    RestSchemaRegistryClient client;
    TopologyTestDriver driver;
    ProductCatalog catalog;
    Schema raw;
    final Masker masker = new Masker("test-secret-at-least-16-bytes".getBytes(StandardCharsets.UTF_8));

    @BeforeEach
    void start() {
        registry = EmbeddedSchemaRegistry.builder().start();
        client = new RestSchemaRegistryClient(Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url()));
        catalog = ProductCatalog.load(CatalogSource.directory(CATALOG));
        raw = catalog.contracts().get("shop.raw.order-events").schema();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "versions-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingExceptionHandler.class);
        props.put(DeadLetterProcessingExceptionHandler.PRODUCTS_CONFIG, catalog.products());
        driver = new TopologyTestDriver(
                BackboneTopology.topology(catalog.products(), client, masker, DedupMode.CHANGELOG), props, NOW);
    }

    @AfterEach
    void stop() {
        driver.close();
        registry.close();
    }

    GenericRecord order(String currency, long amount, String channel) {
        GenericRecord total = new GenericData.Record(raw.getField("total").schema());
        total.put("amountMinor", amount);
        total.put("currency", currency);
        GenericRecord r = new GenericData.Record(raw);
        r.put("eventId", UUID.randomUUID().toString());
        r.put("orderId", "ord-1");
        r.put("customerEmail", " Anna.Berg@Shop.DE");
        r.put("total", total);
        r.put("channel", channel);
        return r;
    }

    void send(GenericRecord r) {
        ConfluentAvroSerializer<GenericRecord> serializer = new ConfluentAvroSerializer<>(client);
        serializer.configure(Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url()), false);
        TestInputTopic<String, byte[]> in =
                driver.createInputTopic("shop.raw.order-events", new StringSerializer(), new ByteArraySerializer());
        in.pipeInput("ord-1", serializer.serialize("shop.raw.order-events", r), NOW);
    }

    List<TestRecord<String, byte[]>> read(String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
    }

    GenericRecord decode(byte[] bytes) {
        return (GenericRecord) AvroDecoder.generic(client).decode(bytes);
    }

    static String header(TestRecord<String, byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void theCatalogHasOneProductPerLiveMajorAndV1IsMapped() {
        assertThat(catalog.products())
                .extracting(DataProduct::productTopic)
                .containsExactly("shop.product.orders.v2", "shop.product.orders.v1");
        DataProduct v1 = catalog.products().get(1);
        assertThat(v1.isMapped()).isTrue();
        assertThat(v1.mapping().expressions())
                .containsEntry("amountMinor", "record.total.amountMinor")
                .containsEntry("currency", "record.total.currency")
                .containsEntry("eventId", "record.eventId");
        assertThat(v1.output().contract().lifecycle().deprecated()).isTrue();
    }

    @Test
    void oneRawEventEndsInBothMajorsEachInItsOwnShapeWithTheSameEventIdAndKey() {
        GenericRecord sent = order("EUR", 4200, null);
        send(sent);

        List<TestRecord<String, byte[]>> v2 = read("shop.product.orders.v2");
        List<TestRecord<String, byte[]>> v1 = read("shop.product.orders.v1");
        assertThat(read("shop.dlq.order-events"))
                .as("dead letters")
                .extracting(d -> header(d, DeadLetter.VIOLATIONS))
                .isEmpty();
        assertThat(v2).hasSize(1);
        assertThat(v1).hasSize(1);
        assertThat(v1.get(0).key()).isEqualTo(v2.get(0).key()).isEqualTo("ord-1");
        GenericRecord two = decode(v2.get(0).value());
        GenericRecord one = decode(v1.get(0).value());
        assertThat(one.getSchema().getFullName()).isEqualTo("io.backbone.test.shop.v1.Order");
        assertThat(one.get("eventId").toString())
                .isEqualTo(two.get("eventId").toString())
                .isEqualTo(sent.get("eventId").toString());
        assertThat(one.get("amountMinor")).isEqualTo(4200L);
        assertThat(one.get("currency").toString()).isEqualTo("EUR");
        assertThat(one.get("source").toString())
                .as("a CEL source with a fallback constant")
                .isEqualTo("web");
        assertThat(one.get("legacyFlag")).as("no source: the Avro default").isEqualTo(false);
        // each major masks with its own contract: v2 corrects the e-mail before hashing it, v1 does not
        assertThat(two.get("customerEmail").toString()).isEqualTo(masker.hash("Anna.Berg@shop.de"));
        assertThat(one.get("customerEmail").toString()).isEqualTo(masker.hash(" Anna.Berg@Shop.DE"));
        // consumers of the deprecated major are told, those of the current one are not
        assertThat(header(v1.get(0), DeadLetter.DEPRECATION)).isEqualTo("2026-11-01");
        assertThat(header(v1.get(0), DeadLetter.SUNSET)).isEqualTo("2027-01-31");
        assertThat(header(v2.get(0), DeadLetter.DEPRECATION)).isNull();
    }

    @Test
    void aRetiredMajorIsNoLongerPublishedButKeptInTheCatalog(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(CATALOG)) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                Path to = dir.resolve(CATALOG.relativize(f).toString());
                java.nio.file.Files.createDirectories(to.getParent());
                java.nio.file.Files.copy(f, to);
            }
        }
        Path v1 = dir.resolve("domains/shop/orders-v1.odcs.yaml");
        java.nio.file.Files.writeString(
                v1, java.nio.file.Files.readString(v1).replace("status: deprecated", "status: retired"));

        ProductCatalog retiring = ProductCatalog.load(CatalogSource.directory(dir));

        assertThat(retiring.products()).extracting(DataProduct::productTopic).containsExactly("shop.product.orders.v2");
        assertThat(retiring.retired()).extracting(DataProduct::productTopic).containsExactly("shop.product.orders.v1");
    }

    @Test
    void anEventValidForOneMajorIsDeadLetteredByTheOtherNamingItsContract() {
        send(order("GBP", 100, "app"));

        assertThat(read("shop.product.orders.v2")).hasSize(1);
        assertThat(read("shop.product.orders.v1")).isEmpty();
        List<TestRecord<String, byte[]>> dlq = read("shop.dlq.order-events");
        assertThat(dlq).hasSize(1);
        assertThat(header(dlq.get(0), DeadLetter.RULE)).isEqualTo("currency.invalidValues");
        assertThat(header(dlq.get(0), DeadLetter.CONTRACT_ID)).isEqualTo("shop.product.orders.v1");
        assertThat(header(dlq.get(0), DeadLetter.PRODUCT)).isEqualTo("shop-orders.v1");
    }

    @Test
    void bothMajorsAreFedByOneProcessorThatDecodesEachRawRecordOnce() {
        org.apache.kafka.streams.TopologyDescription description = BackboneTopology.topology(
                        catalog.products(), client, masker, DedupMode.CHANGELOG)
                .describe();
        List<org.apache.kafka.streams.TopologyDescription.Processor> processors = description.subtopologies().stream()
                .flatMap(t -> t.nodes().stream())
                .filter(n -> n instanceof org.apache.kafka.streams.TopologyDescription.Processor)
                .map(n -> (org.apache.kafka.streams.TopologyDescription.Processor) n)
                .toList();
        assertThat(processors).hasSize(1);
        assertThat(processors.get(0).stores()).containsExactlyInAnyOrder("shop-orders-dedup", "shop-orders.v1-dedup");
        assertThat(processors.get(0).successors())
                .extracting(org.apache.kafka.streams.TopologyDescription.Node::name)
                .containsExactlyInAnyOrder(
                        "shop-orders-product-sink",
                        "shop-orders-dlq-sink",
                        "shop-orders.v1-product-sink",
                        "shop-orders.v1-dlq-sink");
    }

    @Test
    void aRecordThatDoesNotDecodeIsDeadLetteredOncePerMajor() {
        TestInputTopic<String, byte[]> in =
                driver.createInputTopic("shop.raw.order-events", new StringSerializer(), new ByteArraySerializer());
        in.pipeInput("ord-9", "not avro".getBytes(StandardCharsets.UTF_8), NOW);

        List<TestRecord<String, byte[]>> dlq = read("shop.dlq.order-events");
        assertThat(dlq).extracting(d -> header(d, DeadLetter.PRODUCT)).containsExactly("shop-orders.v1", "shop-orders");
        assertThat(dlq).extracting(d -> header(d, DeadLetter.STAGE)).containsOnly("deserialize");
        assertThat(dlq).extracting(TestRecord::key).containsOnly("ord-9");
        assertThat(read("shop.product.orders.v2")).isEmpty();
        assertThat(read("shop.product.orders.v1")).isEmpty();
    }

    @Test
    void aDuplicateIsDroppedByEachMajorAndAnEventDeadLetteredByOneStillReachesTheOther() {
        GenericRecord first = order("GBP", 100, "app");
        send(first);
        send(first);

        assertThat(read("shop.product.orders.v2")).hasSize(1);
        assertThat(read("shop.product.orders.v1")).isEmpty();
        assertThat(read("shop.dlq.order-events"))
                .as("v1 dead-letters each delivery: only what it published counts as seen")
                .extracting(d -> header(d, DeadLetter.PRODUCT))
                .containsExactly("shop-orders.v1", "shop-orders.v1");
    }
}
