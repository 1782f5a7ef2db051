package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.catalog.CatalogSource;
import io.backbone.contract.Masker;
import io.backbone.dlq.DeadLetter;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.TestPlatform;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.serde.ConfluentAvroSerializer;
import io.backbone.topology.BackboneApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole new product (schema, contracts, descriptor) from test resources alone, enforced end to end; and its
 * deduplication state surviving a restart of the topology that lost its local state.
 */
class NewProductFromYamlIT {
    static final String SECRET = "new-product-it-secret-0123456789";
    static final Path CATALOG = Path.of("src/test/resources/catalogs/warehouse");

    @Test
    void aProductWrittenOnlyInYamlIsEnforcedAndItsDedupSurvivesARestart(@TempDir Path state) throws Exception {
        TestPlatform platform = TestPlatform.get();
        ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
        ProductCatalog catalog = ItSupport.provisioned(settings, CATALOG);
        DataProduct stock = catalog.product("stock");
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig());
        ConfluentAvroSerializer<GenericRecord> serializer = new ConfluentAvroSerializer<>(registry);
        serializer.configure(settings.clientConfig(), false);
        GenericRecord valid = stock("TEE-0001", "BER-1", 12, "anna@example.com");
        GenericRecord negative = stock("TEE-0002", "BER-1", -3, "ben@example.com");
        GenericRecord unknownWarehouse = stock("TEE-0003", "LON-9", 5, "chloe@example.com");

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.<String, Object>of("bootstrap.servers", platform.bootstrapServers()),
                new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (GenericRecord r : List.of(valid, negative, unknownWarehouse)) {
                producer.send(new ProducerRecord<>(
                                stock.rawTopic(), r.get("sku").toString(), serializer.serialize(stock.rawTopic(), r)))
                        .get();
            }

            try (BackboneApp app =
                    Backbone.start(settings, catalog, "new-product-it", state.toString(), SECRET, Map.of())) {
                ItSupport.awaitCommitted(settings, catalog, "new-product-it", Duration.ofMinutes(2));
            }
            AvroDecoder decoder = AvroDecoder.generic(registry);
            List<ConsumerRecord<byte[], byte[]>> products = ItSupport.read(settings, stock.productTopic());
            assertThat(products).hasSize(1);
            GenericRecord published =
                    (GenericRecord) decoder.decode(products.get(0).value());
            assertThat(published.get("eventId").toString())
                    .isEqualTo(valid.get("eventId").toString());
            assertThat(published.get("countedBy").toString())
                    .isEqualTo(new Masker(SECRET.getBytes(StandardCharsets.UTF_8)).hash("anna@example.com"));
            assertThat(ItSupport.read(settings, stock.dlqTopic()))
                    .extracting(r -> DeadLetter.text(r.headers(), DeadLetter.RULE))
                    .containsExactlyInAnyOrder("stock-not-negative", "warehouse.invalidValues");

            // restart with an empty state directory: the dedup store must come back from its changelog
            Path freshState = state.resolve("after-restart");
            GenericRecord later = stock("TEE-0004", "WAW-2", 7, "dmitri@example.com");
            producer.send(new ProducerRecord<>(
                            stock.rawTopic(), "TEE-0001", serializer.serialize(stock.rawTopic(), valid)))
                    .get();
            producer.send(new ProducerRecord<>(
                            stock.rawTopic(), "TEE-0004", serializer.serialize(stock.rawTopic(), later)))
                    .get();
            try (BackboneApp app =
                    Backbone.start(settings, catalog, "new-product-it", freshState.toString(), SECRET, Map.of())) {
                ItSupport.awaitCommitted(settings, catalog, "new-product-it", Duration.ofMinutes(2));
                assertThat(app.productTotals().get("stock").get("duplicate")).isEqualTo(1.0);
            }
            assertThat(ItSupport.read(settings, stock.productTopic()))
                    .extracting(r -> ((GenericRecord) decoder.decode(r.value()))
                            .get("eventId")
                            .toString())
                    .containsExactlyInAnyOrder(
                            valid.get("eventId").toString(),
                            later.get("eventId").toString());
        }
    }

    @Test
    void aProductWrittenOnlyInYamlAppearsInTheCatalog() throws Exception {
        TestPlatform platform = TestPlatform.get();
        ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
        ProductCatalog catalog = ItSupport.provisioned(settings, CATALOG);
        new io.backbone.provisioning.CatalogPublisher(settings.kafkaConfig()).publish(catalog.products());

        try (io.backbone.catalogservice.CatalogServer server = io.backbone.catalogservice.CatalogServer.start(
                new java.util.HashMap<>(settings.clientConfig()), "127.0.0.1", 0)) {
            assertThat(server.awaitCatalog(Duration.ofSeconds(60))).isTrue();
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create(server.url() + "/api/products/stock"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            com.fasterxml.jackson.databind.JsonNode stock =
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
            assertThat(stock.path("output").path("topic").asText())
                    .isEqualTo(catalog.product("stock").productTopic());
            assertThat(stock.path("schema"))
                    .extracting(f -> f.path("field").asText())
                    .contains("sku", "warehouse", "quantityOnHand", "countedBy");
            assertThat(stock.path("rules"))
                    .extracting(f -> f.path("name").asText())
                    .contains("stock-not-negative", "warehouse.invalidValues");
        }
    }

    static GenericRecord stock(String sku, String warehouse, int quantity, String countedBy) {
        org.apache.avro.Schema schema = ProductCatalog.load(CatalogSource.directory(CATALOG))
                .product("stock")
                .input()
                .schema();
        return new GenericRecordBuilder(schema)
                .set("eventId", UUID.randomUUID().toString())
                .set("sku", sku)
                .set("warehouse", warehouse)
                .set("quantityOnHand", quantity)
                .set("countedBy", countedBy)
                .build();
    }
}
