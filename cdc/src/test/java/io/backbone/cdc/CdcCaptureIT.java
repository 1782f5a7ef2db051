package io.backbone.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.contract.CompiledContract;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.LocalPostgres;
import io.backbone.platform.TestPlatform;
import io.backbone.producer.inventory.InventoryService;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.serde.WireFormat;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The capture alone, on a real PostgreSQL and a real broker and registry: what lands on the raw topic. */
class CdcCaptureIT {
    static final ProductCatalog CATALOG = ProductCatalog.shipped();

    static Map<String, CompiledContract> contracts() {
        return CATALOG.contractsByTopic();
    }

    static CdcCapture capture(String domain, LocalPostgres pg, Map<String, CompiledContract> contracts)
            throws Exception {
        TestPlatform kafka = TestPlatform.get();
        try (var admin = kafka.admin()) {
            String topic = CdcCapture.rawTopic(domain, InventoryService.TABLE);
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)))
                        .all()
                        .get();
            }
        }
        return new CdcCapture(new CdcCapture.Settings(
                domain,
                List.of(InventoryService.TABLE),
                CdcCapture.Database.fromJdbcUrl(pg.jdbcUrl(), LocalPostgres.USER, pg.password()),
                ClientSettings.of(kafka.bootstrapServers(), kafka.schemaRegistryUrl()),
                contracts,
                (short) -1));
    }

    static List<ConsumerRecord<byte[], byte[]>> read(String topic, int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        TestPlatform.get().bootstrapServers(),
                        "group.id",
                        "read-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            while (out.size() < atLeast && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    @Test
    void snapshotThenStreamingWriteEveryChangeAsConfluentAvroInTheContractsSchemaWithCloudEventHeaders()
            throws Exception {
        try (LocalPostgres pg = LocalPostgres.start(0);
                Connection db = pg.connect()) {
            InventoryService service = new InventoryService(db, new Random(11), 0, 20);
            for (int i = 0; i < 8; i++) {
                service.next();
            }
            int rows = service.rows(); // what the snapshot reads
            String topic = "inventory.raw.stock-changes";
            try (CdcCapture capture = capture("inventory", pg, contracts())) {
                capture.start();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> capture.status().captured().get(InventoryService.TABLE) >= 5);
                List<InventoryService.Change> changes = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    changes.add(service.next());
                }
                List<ConsumerRecord<byte[], byte[]>> records = read(topic, rows + 30);

                assertThat(rows).isPositive();
                assertThat(records).hasSize(rows + 30);
                RestSchemaRegistryClient registry = new RestSchemaRegistryClient(
                        Map.of("schema.registry.url", TestPlatform.get().schemaRegistryUrl()));
                AvroDecoder decoder = AvroDecoder.generic(registry);
                List<GenericRecord> values = records.stream()
                        .map(r -> (GenericRecord) decoder.decode(r.value()))
                        .toList();
                // the schema the capture derives from the table is the contract's, registered as is
                assertThat(registry.schemaById(
                                WireFormat.schemaId(records.get(0).value())))
                        .isEqualTo(CATALOG.contracts()
                                .get("inventory.raw.stock-changes")
                                .schema());
                assertThat(values.subList(0, rows))
                        .allSatisfy(v -> assertThat(v.get("op").toString()).isEqualTo("READ"));
                assertThat(values.subList(rows, rows + 30))
                        .extracting(v -> v.get("op").toString())
                        .containsExactlyElementsOf(changes.stream()
                                .map(InventoryService.Change::op)
                                .toList());
                assertThat(values).extracting(v -> v.get("changeId").toString()).doesNotHaveDuplicates();
                ConsumerRecord<byte[], byte[]> first = records.get(rows);
                GenericRecord key = (GenericRecord) decoder.decode(first.key());
                assertThat(key.getSchema().getFullName()).isEqualTo("io.backbone.inventory.cdc.StockKey");
                assertThat(key.get("sku").toString()).isEqualTo(changes.get(0).sku());
                assertThat(header(first, "ce_id"))
                        .isEqualTo(values.get(rows).get("changeId").toString());
                assertThat(header(first, "ce_type")).startsWith("io.backbone.inventory.stock.");
                assertThat(header(first, "ce_subject"))
                        .contains("sku=" + changes.get(0).sku());
            }
        }
    }

    @Test
    void aMissingRawTopicStopsTheCaptureBeforeItStartsNamingTheTopicAndTheFix() throws Exception {
        try (LocalPostgres pg = LocalPostgres.start(0)) {
            TestPlatform kafka = TestPlatform.get();
            CdcCapture capture = new CdcCapture(new CdcCapture.Settings(
                    "nosuchdomain",
                    List.of(InventoryService.TABLE),
                    CdcCapture.Database.fromJdbcUrl(pg.jdbcUrl(), LocalPostgres.USER, pg.password()),
                    ClientSettings.of(kafka.bootstrapServers(), kafka.schemaRegistryUrl()),
                    Map.of(),
                    (short) -1));
            try (capture) {
                org.assertj.core.api.Assertions.assertThatThrownBy(capture::start)
                        .isInstanceOf(CaptureStoppedException.class)
                        .hasMessageContaining("topic nosuchdomain.raw.stock-changes does not exist")
                        .hasMessageContaining("backbone provision");
            }
        }
    }

    @Test
    void anAddedNullableColumnIsANewSchemaVersionAndANotNullOneStopsTheCaptureNamingTheColumn() throws Exception {
        String domain = "cdctest";
        try (LocalPostgres pg = LocalPostgres.start(0);
                Connection db = pg.connect()) {
            InventoryService service = new InventoryService(db, new Random(12), 0, 20);
            service.next();
            String topic = CdcCapture.rawTopic(domain, InventoryService.TABLE);
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(
                    Map.of("schema.registry.url", TestPlatform.get().schemaRegistryUrl()));
            try (CdcCapture capture = capture(domain, pg, Map.of())) {
                capture.start();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> capture.status().captured().get(InventoryService.TABLE) >= 1);
                try (Statement s = db.createStatement()) {
                    s.execute("ALTER TABLE inventory.stock ADD COLUMN reorder_level integer");
                }
                service.next();
                service.next();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> capture.status().captured().get(InventoryService.TABLE) >= 3);
                assertThat(registry.versions(topic + "-value")).hasSize(2);
                assertThat(registry.latest(topic + "-value").schema().toString())
                        .contains("reorder_level");

                try (Statement s = db.createStatement()) {
                    s.execute("ALTER TABLE inventory.stock ADD COLUMN bin text NOT NULL DEFAULT 'A1'");
                    s.execute("ALTER TABLE inventory.stock ALTER COLUMN bin DROP DEFAULT");
                }
                service.next();

                String stopped = capture.stopped().get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(stopped)
                        .contains("table inventory.stock")
                        .contains("column bin added (NOT NULL, no default)")
                        .contains("BACKWARD")
                        .contains(topic + "-value")
                        .contains("fix:");
                assertThat(registry.versions(topic + "-value")).hasSize(2);
            }
        }
    }

    @Test
    void aDatabaseThatGoesAwayIsWaitedForAndNoChangeIsLost(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String domain = "outage";
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        java.nio.file.Path data = dir.resolve("pgdata");
        LocalPostgres pg = LocalPostgres.start(port, data);
        CdcCapture capture = null;
        try {
            int before;
            try (Connection db = pg.connect()) {
                InventoryService service = new InventoryService(db, new Random(13), 0, 20);
                for (int i = 0; i < 10; i++) {
                    service.next();
                }
                before = service.rows();
            }
            capture = capture(domain, pg, Map.of());
            capture.start();
            CdcCapture running = capture;
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> running.status().captured().get(InventoryService.TABLE) >= before);

            pg.close(); // the database goes away: the capture keeps trying, nothing is dead-lettered or skipped
            // for the 5 s the database is away, the capture keeps waiting for it: it neither stops nor gives up
            CdcCapture waiting = capture;
            Awaitility.await()
                    .during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(7))
                    .until(() -> !waiting.stopped().isDone());
            pg = LocalPostgres.start(port, data);
            try (Connection db = pg.connect()) {
                InventoryService service = new InventoryService(db, new Random(14), 0, 20);
                for (int i = 0; i < 10; i++) {
                    service.next();
                }
            }

            Awaitility.await()
                    .atMost(Duration.ofMinutes(2))
                    .until(() -> running.status().captured().get(InventoryService.TABLE) >= before + 10);
            List<ConsumerRecord<byte[], byte[]>> records =
                    read(CdcCapture.rawTopic(domain, InventoryService.TABLE), before + 10);
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(
                    Map.of("schema.registry.url", TestPlatform.get().schemaRegistryUrl()));
            AvroDecoder decoder = AvroDecoder.generic(registry);
            assertThat(records.stream()
                            .map(r -> ((GenericRecord) decoder.decode(r.value()))
                                    .get("changeId")
                                    .toString())
                            .distinct())
                    .hasSize(before + 10);
            assertThat(capture.stopped()).isNotDone();
        } finally {
            if (capture != null) {
                capture.close();
            }
            pg.close();
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
