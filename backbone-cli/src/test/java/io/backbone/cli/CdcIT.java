package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.contract.Masker;
import io.backbone.demo.InventoryReport;
import io.backbone.dlq.DeadLetter;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.LocalPlatform;
import io.backbone.platform.LocalPostgres;
import io.backbone.producer.inventory.InventoryService;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.Provisioner;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.topology.BackboneApp;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change data capture end to end, on a real PostgreSQL, a real broker and registry, the backbone, and the capture as its own
 * process ({@code backbone cdc} from the shipped jar): inserts, updates and deletes at a steady rate, the capture
 * killed with SIGKILL mid-stream and started again; then a column added and a change that breaks the contract.
 */
class CdcIT {
    static final String APP_ID = "backbone-cdc-it";
    static final String SECRET = "cdc-it-masking-secret-0123456789";

    @Test
    void theEntityProductIsTheTableAndEveryChangeIsPublishedOnceAcrossAKilledCapture(@TempDir Path dir)
            throws Exception {
        ProductCatalog catalog = ProductCatalog.shipped();
        DataProduct events = catalog.product("inventory");
        DataProduct entity = catalog.product("inventory.stock");
        try (LocalPlatform platform = LocalPlatform.start(0);
                LocalPostgres pg = LocalPostgres.start(0);
                Connection db = pg.connect()) {
            ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig());
            try (Admin admin = settings.admin()) {
                new Provisioner(admin, registry, 2).provision(catalog.products());
            }
            InventoryService service = new InventoryService(db, new Random(5), 0, 60);
            for (int i = 0; i < 30; i++) {
                service.next();
            }
            int snapshotRows = service.rows();
            try (BackboneApp app = Backbone.start(
                    settings,
                    catalog,
                    APP_ID,
                    dir.resolve("state").toString(),
                    SECRET,
                    Map.of(io.backbone.topology.BackboneConfig.PRODUCTS, "inventory,inventory.stock"))) {
                Process capture = capture(dir, "first", platform, pg);
                Process restarted = null;
                try {
                    // the initial snapshot first: changes made before it are read as the rows they leave behind
                    Awaitility.await()
                            .atMost(Duration.ofMinutes(2))
                            .pollInterval(Duration.ofMillis(500))
                            .untilAsserted(() -> assertThat(ItSupport.read(settings, events.rawTopic()))
                                    .as("snapshot; capture output: %s", log(dir, "first", capture))
                                    .hasSize(snapshotRows));
                    // a steady rate, the capture killed with SIGKILL a third of the way in and started again
                    List<InventoryService.Change> changes = new ArrayList<>();
                    boolean killed = false;
                    for (int i = 0; i < 600; i++) {
                        changes.add(service.next());
                        if (!killed
                                && i % 20 == 0
                                && ItSupport.read(settings, events.rawTopic()).size() > snapshotRows + 100) {
                            // mid-stream: the first capture has written some changes and is writing more
                            capture.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                            killed = true;
                            restarted = capture(dir, "second", platform, pg);
                        }
                        Thread.sleep(20);
                    }
                    assertThat(killed).as("the capture was killed mid-stream").isTrue();
                    Process running = restarted;
                    // no change lost: every one of them reaches the raw topic (some perhaps twice)
                    Awaitility.await()
                            .atMost(Duration.ofMinutes(3))
                            .pollInterval(Duration.ofSeconds(1))
                            .untilAsserted(() -> assertThat(changeIds(settings, registry, events.rawTopic()))
                                    .as("capture output: %s%nreplication: %s", log(dir, "second", running), slots(db))
                                    .hasSize(snapshotRows + changes.size()));
                    // the restarted capture's management port: its counter and readiness
                    String ops = ItSupport.managementUrl(dir.resolve("second.log"));
                    ItSupport.Http metrics = ItSupport.get(ops + "/metrics");
                    assertThat(metrics.status()).isEqualTo(200);
                    assertThat(ItSupport.sample(
                                    metrics.body(),
                                    "backbone_cdc_changes_total{domain=\"inventory\",source=\"inventory.stock\"}"))
                            .as(metrics.body())
                            .isPositive();
                    assertThat(ItSupport.get(ops + "/health/ready").body()).contains("\"status\":\"UP\"");
                    ItSupport.awaitCommitted(settings, catalog, APP_ID, Duration.ofMinutes(2));

                    InventoryReport report = report(settings, registry, db, events, entity);

                    assertThat(report.problems()).isEmpty();
                    assertThat(report.rows()).isEqualTo(service.rows()).isPositive();
                    assertThat(report.rowsEqual()).isEqualTo(report.rows());
                    assertThat(report.entityRows()).isEqualTo(report.rows());
                    assertThat(report.distinctChanges()).isEqualTo(snapshotRows + changes.size());
                    assertThat(report.eventsOut())
                            .as("every change once in the event product")
                            .isEqualTo(report.distinctChanges());
                    assertThat(changes).extracting(InventoryService.Change::op).contains("DELETE");

                    // a column added in PostgreSQL: a new schema version, and the products keep flowing
                    try (Statement s = db.createStatement()) {
                        s.execute("ALTER TABLE inventory.stock ADD COLUMN reorder_level integer");
                    }
                    for (int i = 0; i < 20; i++) {
                        service.next();
                    }
                    Awaitility.await()
                            .atMost(Duration.ofMinutes(2))
                            .untilAsserted(() -> assertThat(changeIds(settings, registry, events.rawTopic()))
                                    .hasSize(snapshotRows + changes.size() + 20));
                    assertThat(registry.versions(events.rawTopic() + "-value")).hasSize(2);
                    ItSupport.awaitCommitted(settings, catalog, APP_ID, Duration.ofMinutes(2));
                    InventoryReport afterColumn = report(settings, registry, db, events, entity);
                    assertThat(afterColumn.problems()).isEmpty();
                    assertThat(afterColumn.eventsOut()).isEqualTo(report.eventsOut() + 20);

                    // a change that breaks the contract: dead-lettered with its key and rule, the entity unchanged
                    String sku;
                    try (Statement s = db.createStatement();
                            var rs =
                                    s.executeQuery("SELECT sku, warehouse FROM inventory.stock ORDER BY sku LIMIT 1")) {
                        rs.next();
                        sku = rs.getString(1);
                        s.execute("UPDATE inventory.stock SET quantity = -5 WHERE sku = '" + sku + "'");
                    }
                    Awaitility.await()
                            .atMost(Duration.ofMinutes(2))
                            .untilAsserted(() -> assertThat(ItSupport.read(settings, events.dlqTopic()))
                                    .hasSize(2));
                    ItSupport.awaitCommitted(settings, catalog, APP_ID, Duration.ofMinutes(2));
                    AvroDecoder decoder = AvroDecoder.generic(registry);
                    List<ConsumerRecord<byte[], byte[]>> dlq = ItSupport.read(settings, events.dlqTopic());
                    assertThat(dlq).allSatisfy(r -> {
                        assertThat(((GenericRecord) decoder.decode(r.key()))
                                        .get("sku")
                                        .toString())
                                .isEqualTo(sku);
                        assertThat(DeadLetter.text(r.headers(), DeadLetter.RULE))
                                .isEqualTo("after.quantity.minimum");
                    });
                    InventoryReport afterViolation = report(settings, registry, db, events, entity);
                    assertThat(afterViolation.problems()).isEmpty();
                    assertThat(afterViolation.heldAtLastValid()).isEqualTo(1);
                    assertThat(afterViolation.deadLettered()).isEqualTo(1);
                    assertThat(afterViolation.rowsEqual()).isEqualTo(afterViolation.rows() - 1);
                } finally {
                    capture.destroyForcibly();
                    if (restarted != null) {
                        restarted.destroy();
                        restarted.waitFor(30, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }

    static InventoryReport report(
            ClientSettings settings,
            RestSchemaRegistryClient registry,
            Connection db,
            DataProduct events,
            DataProduct entity) {
        return InventoryReport.check(
                settings.clientConfig(),
                registry,
                new Masker(SECRET.getBytes(StandardCharsets.UTF_8)),
                db,
                InventoryService.TABLE,
                events,
                entity);
    }

    /** {@code backbone cdc} from the shipped jar, as its own process, output in {@code <name>.log}. */
    static Process capture(Path dir, String name, LocalPlatform platform, LocalPostgres pg) throws Exception {
        File out = dir.resolve(name + ".log").toFile();
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        System.getProperty("backbone.jar", "target/backbone.jar"),
                        "cdc",
                        "--bootstrap-servers",
                        platform.bootstrapServers(),
                        "--schema-registry-url",
                        platform.schemaRegistryUrl(),
                        "--jdbc-url",
                        pg.jdbcUrl(),
                        "--db-password-file",
                        pg.writePasswordFile(dir).toString(),
                        "--management-port",
                        "0",
                        "--verbose")
                .redirectErrorStream(true)
                .redirectOutput(out)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    static String log(Path dir, String name, Process p) throws Exception {
        Path file = dir.resolve(name + ".log");
        String text = Files.exists(file) ? Files.readString(file) : "";
        String tail = text.length() > 3000 ? text.substring(text.length() - 3000) : text;
        return (p != null && p.isAlive() ? "running" : "ended") + "\n" + tail;
    }

    static String slots(Connection db) {
        try (Statement s = db.createStatement();
                var rs = s.executeQuery("SELECT slot_name, active, confirmed_flush_lsn, pg_current_wal_lsn()"
                        + " FROM pg_replication_slots")) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                out.append(rs.getString(1))
                        .append(" active=")
                        .append(rs.getString(2))
                        .append(" confirmed=")
                        .append(rs.getString(3))
                        .append(" current=")
                        .append(rs.getString(4))
                        .append("; ");
            }
            return out.toString();
        } catch (java.sql.SQLException e) {
            return e.getMessage();
        }
    }

    static Set<String> changeIds(ClientSettings settings, RestSchemaRegistryClient registry, String topic) {
        AvroDecoder decoder = AvroDecoder.generic(registry);
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : ItSupport.read(settings, topic)) {
            ids.add(((GenericRecord) decoder.decode(r.value())).get("changeId").toString());
        }
        return ids;
    }
}
