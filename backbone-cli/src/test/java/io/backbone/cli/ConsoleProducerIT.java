package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.dlq.DeadLetter;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.TestPlatform;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.topology.BackboneApp;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backbone produce-json}: one hand-written record lands where the contract says, like Kafka's console producer. */
class ConsoleProducerIT {
    static final Path CATALOG = Path.of("src/test/resources/catalogs/warehouse");

    @Test
    void handWrittenJsonLinesReachTheProductOrTheDlqThroughTheBackbone(@TempDir Path state) throws Exception {
        TestPlatform platform = TestPlatform.get();
        ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
        ProductCatalog catalog = ItSupport.provisioned(settings, CATALOG);
        DataProduct stock = catalog.product("stock");
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig());
        String valid = UUID.randomUUID().toString();
        String negative = UUID.randomUUID().toString();
        String lines = String.join(
                "\n",
                "source:console\tTEE-0100\t{\"eventId\": \"" + valid + "\", \"sku\": \"TEE-0100\", \"warehouse\": "
                        + "\"BER-1\", \"quantityOnHand\": 4, \"countedBy\": \"anna@example.com\"}",
                "source:console\tTEE-0101\t{\"eventId\": \"" + negative + "\", \"sku\": \"TEE-0101\", \"warehouse\": "
                        + "\"BER-1\", \"quantityOnHand\": -2, \"countedBy\": \"ben@example.com\"}",
                "source:console\tTEE-0102\t{\"eventId\": \"x\", \"sku\": \"TEE-0102\", \"warehouse\": \"BER-1\", "
                        + "\"quantityOnHand\": \"four\", \"countedBy\": \"c@example.com\"}");

        InputStream stdin = System.in;
        CommandLineBehaviourTest.Run sent;
        System.setIn(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)));
        try {
            sent = CommandLineBehaviourTest.run(
                    "produce-json",
                    stock.rawTopic(),
                    "--bootstrap-servers",
                    platform.bootstrapServers(),
                    "--schema-registry-url",
                    platform.schemaRegistryUrl(),
                    "--property",
                    "parse.key=true",
                    "--property",
                    "parse.headers=true");
        } finally {
            System.setIn(stdin);
        }

        assertThat(sent.exit()).as(sent.err()).isEqualTo(1);
        assertThat(sent.out()).contains("stdin:1 → " + stock.rawTopic()).contains("stdin:2 → ");
        assertThat(sent.err())
                .contains("stdin:3: $.quantityOnHand: expected an int, got \"four\" (not sent)")
                .contains("2 sent, 1 not sent");

        try (BackboneApp app = Backbone.start(
                settings, catalog, "console-producer-it", state.toString(), "console-it-secret-0123456789", Map.of())) {
            ItSupport.awaitCommitted(settings, catalog, "console-producer-it", Duration.ofMinutes(2));
        }
        AvroDecoder decoder = AvroDecoder.generic(registry);
        List<ConsumerRecord<byte[], byte[]>> products = ItSupport.read(settings, stock.productTopic());
        assertThat(products).hasSize(1);
        assertThat(new String(products.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("TEE-0100");
        assertThat(((GenericRecord) decoder.decode(products.get(0).value()))
                        .get("eventId")
                        .toString())
                .isEqualTo(valid);
        List<ConsumerRecord<byte[], byte[]>> dead = ItSupport.read(settings, stock.dlqTopic());
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("TEE-0101");
        assertThat(DeadLetter.text(dead.get(0).headers(), DeadLetter.RULE)).isEqualTo("stock-not-negative");
        assertThat(DeadLetter.text(dead.get(0).headers(), "source")).isEqualTo("console");
        assertThat(Class.forName(DeadLetter.text(dead.get(0).headers(), DeadLetter.EXCEPTION)))
                .isEqualTo(io.backbone.contract.ContractViolationException.class);
    }
}
