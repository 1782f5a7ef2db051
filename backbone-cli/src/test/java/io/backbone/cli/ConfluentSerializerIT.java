package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.orders.v1.OrderLine;
import io.backbone.platform.LocalPlatform;
import io.backbone.producer.orders.OrdersService;
import io.backbone.producer.publish.ClientSettings;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.topology.BackboneApp;
import io.backbone.topology.Provisioner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confluent's own JavaScript serializer ({@code @confluentinc/schemaregistry}, its CEL executor registered, the
 * subject's latest version in use), run with Node.js against the backbone's registry after {@code provision}: it
 * refuses an order that breaks an exported rule of the raw contract, naming the rule, and accepts a valid one, which the
 * backbone then publishes. Node and npm come from the machine ({@code .ci/run} installs them); the client from npm.
 */
class ConfluentSerializerIT {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The JavaScript client installed under target/ (once per build). */
    static Path client() throws Exception {
        Path dir = Path.of("target/js-client");
        Files.createDirectories(dir);
        for (String f : List.of("package.json", "serialize.mjs")) {
            Files.copy(Path.of("src/test/js", f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(dir.resolve("node_modules/@confluentinc/schemaregistry"))) {
            run(dir, Duration.ofMinutes(5), "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
        }
        return dir;
    }

    static String run(Path dir, Duration timeout, String... command) throws Exception {
        Path out = Files.createTempFile("backbone-node", ".out");
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(false)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        boolean done = p.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        String text = Files.readString(out);
        Files.deleteIfExists(out);
        assertThat(done)
                .as(String.join(" ", command) + " finished within " + timeout)
                .isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + text).isZero();
        return text;
    }

    /** {@code value} as the JavaScript Avro library takes it: records as objects, enums as symbols, times in ms. */
    static Object js(Object value) {
        if (value instanceof GenericRecord r) {
            Map<String, Object> out = new LinkedHashMap<>();
            r.getSchema().getFields().forEach(f -> out.put(f.name(), js(r.get(f.pos()))));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConfluentSerializerIT::js).toList();
        }
        if (value instanceof Instant t) {
            return t.toEpochMilli();
        }
        if (value instanceof CharSequence || value instanceof Enum<?>) {
            return value.toString();
        }
        return value;
    }

    @Test
    void confluentsSerializerRefusesWhatBreaksTheExportedContractAndTheBackbonePublishesWhatItAccepts(
            @TempDir Path state) throws Exception {
        Path client = client();
        ProductCatalog catalog = ProductCatalog.shipped();
        try (LocalPlatform platform = LocalPlatform.start(0)) {
            ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig());
            try (Admin admin = settings.admin()) {
                new Provisioner(admin, registry, 1).provision(catalog.products());
            }
            Random rnd = new Random(3);
            OrderEvent valid = OrdersService.place("ord-00000001", "cus-000001", rnd, Instant.now());
            OrderEvent negative = OrderEvent.newBuilder(valid)
                    .setEventId(java.util.UUID.randomUUID().toString())
                    .setTotalAmountMinor(-100)
                    .build();
            List<OrderLine> lines = new ArrayList<>(valid.getLines());
            lines.set(0, OrderLine.newBuilder(lines.get(0)).setSku("tee 1").build());
            OrderEvent badSku = OrderEvent.newBuilder(valid)
                    .setEventId(java.util.UUID.randomUUID().toString())
                    .setLines(lines)
                    .build();
            List<Map<String, Object>> cases = List.of(
                    Map.of("name", "valid", "record", js(valid)),
                    Map.of("name", "negative-total", "record", js(negative)),
                    Map.of("name", "bad-sku", "record", js(badSku)));
            Path file = state.resolve("cases.json");
            Files.writeString(file, JSON.writeValueAsString(cases));

            String out = run(
                    client,
                    Duration.ofMinutes(2),
                    "node",
                    "serialize.mjs",
                    platform.schemaRegistryUrl(),
                    OrdersService.TOPIC,
                    file.toAbsolutePath().toString());

            Map<String, JsonNode> verdicts = new LinkedHashMap<>();
            JSON.readTree(out).forEach(v -> verdicts.put(v.path("name").asText(), v));
            assertThat(verdicts.get("valid").path("accepted").asBoolean())
                    .as(verdicts.get("valid").toString())
                    .isTrue();
            assertThat(verdicts.get("negative-total").path("accepted").asBoolean())
                    .isFalse();
            assertThat(verdicts.get("negative-total").path("error").asText()).contains("totalAmountMinor.minimum");
            assertThat(verdicts.get("bad-sku").path("accepted").asBoolean()).isFalse();
            assertThat(verdicts.get("bad-sku").path("error").asText()).contains("lines[].sku.pattern");

            // what the JavaScript serializer wrote is published by the backbone
            byte[] bytes = Base64.getDecoder()
                    .decode(verdicts.get("valid").path("bytes").asText());
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(settings.kafkaConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(
                                OrdersService.TOPIC, valid.getOrderId().getBytes(StandardCharsets.UTF_8), bytes))
                        .get();
            }
            try (BackboneApp app = Backbone.start(
                    settings,
                    catalog,
                    "js-serializer-it",
                    state.toString(),
                    "js-serializer-it-secret-0123",
                    Map.of())) {
                ItSupport.awaitCommitted(settings, catalog, "js-serializer-it", Duration.ofMinutes(2));
            }
            AvroDecoder decoder = AvroDecoder.generic(registry);
            assertThat(ItSupport.read(settings, "orders.product.orders.v2"))
                    .extracting(r -> ((GenericRecord) decoder.decode(r.value()))
                            .get("eventId")
                            .toString())
                    .containsExactly(valid.getEventId());
        }
    }
}
