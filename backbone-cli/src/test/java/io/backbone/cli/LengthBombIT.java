package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.dlq.DeadLetter;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.TestPlatform;
import io.backbone.producer.simulation.Ledger;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.Provisioner;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record framed with the raw topic's real schema id whose first string claims two billion bytes, written while
 * valid events of every domain flow to the built topology running on a 256 MB heap: it is dead-lettered as a poison
 * pill, no stream thread fails, and every valid event reaches its product.
 */
class LengthBombIT {
    static final String SECRET = "integration-test-secret-0123456789";
    static final String RAW = "orders.raw.order-events";

    @Test
    void aLengthBombOnARawTopicIsDeadLetteredWhileEveryValidEventIsPublished(@TempDir Path state) throws Exception {
        TestPlatform platform = TestPlatform.get();
        ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
        ProductCatalog catalog = ProductCatalog.shipped();
        int schemaId;
        try (Admin admin = settings.admin();
                RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig())) {
            new Provisioner(admin, registry, 4).provision(catalog.products());
            schemaId = registry.latest(RAW + "-value").id();
        }
        Path secret = java.nio.file.Files.writeString(state.resolve("secret"), SECRET);
        Path log = state.resolve("topology.log");
        // the built jar, as `./backbone topology` runs it, on a heap smaller than what the bomb declares
        Process topology = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-jar",
                        System.getProperty("backbone.jar", "target/backbone.jar"),
                        "topology",
                        "--bootstrap-servers",
                        platform.bootstrapServers(),
                        "--schema-registry-url",
                        platform.schemaRegistryUrl(),
                        "--masking-secret-file",
                        secret.toString(),
                        "--application-id",
                        "length-bomb-it",
                        "--state-dir",
                        state.resolve("state").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            CompletableFuture<Ledger> flowing =
                    CompletableFuture.supplyAsync(() -> ForeignRecordIT.produce(settings, 400, 28));
            try (KafkaProducer<byte[], byte[]> attacker = new KafkaProducer<>(
                    Map.of("bootstrap.servers", platform.bootstrapServers()),
                    new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int p = 0; p < 4; p++) {
                    attacker.send(new ProducerRecord<>(
                                    RAW, p, "ord-bomb".getBytes(StandardCharsets.UTF_8), bomb(schemaId)))
                            .get();
                }
            }
            Ledger ledger = flowing.get();
            ItSupport.awaitCommitted(settings, catalog, "length-bomb-it", Duration.ofMinutes(2));

            String output = java.nio.file.Files.readString(log);
            assertThat(topology.isAlive()).as(output).isTrue();
            assertThat(output).doesNotContain("OutOfMemoryError").doesNotContain("Stream thread failed");

            for (DataProduct p : catalog.products()) {
                if (p.join() != null || p.isEntity()) {
                    continue;
                }
                List<String> expected = ledger.expectedProductIds(p.rawTopic());
                List<String> published = ItSupport.read(settings, p.productTopic()).stream()
                        .map(r -> new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8))
                        .toList();
                assertThat(new HashSet<>(published)).as(p.productTopic()).isEqualTo(new HashSet<>(expected));
            }
            List<ConsumerRecord<byte[], byte[]>> bombs = ItSupport.read(settings, "orders.dlq.order-events").stream()
                    .filter(r -> "ord-bomb".equals(new String(r.key(), StandardCharsets.UTF_8)))
                    .toList();
            // once per live major of the orders product
            long majors = catalog.products().stream()
                    .filter(p -> RAW.equals(p.rawTopic()) && p.join() == null && !p.isEntity())
                    .count();
            assertThat(bombs).hasSize((int) (4 * majors));
            assertThat(bombs).allSatisfy(r -> {
                assertThat(header(r, DeadLetter.STAGE)).isEqualTo("deserialize");
                assertThat(header(r, DeadLetter.RULE)).isEqualTo("deserialize.length-exceeds-record");
                assertThat(r.value()).isEqualTo(bomb(schemaId));
            });
        } finally {
            topology.destroy();
            topology.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** The raw schema's first field, the event id, declared 2,000,000,000 bytes long, in a 22-byte record. */
    static byte[] bomb(int schemaId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] header = new byte[WireFormat.HEADER_SIZE];
        WireFormat.writeHeader(header, schemaId);
        body.writeBytes(header);
        long z = 2_000_000_000L << 1; // zig-zag of a positive length
        while ((z & ~0x7FL) != 0) {
            body.write((int) ((z & 0x7f) | 0x80));
            z >>>= 7;
        }
        body.write((int) z);
        body.writeBytes("0123456789012".getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return r.headers().lastHeader(name) == null
                ? null
                : new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
