package io.backbone.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Groundwork for issue 11: a real PostgreSQL in-process, and Debezium's embedded engine reading its changes. */
class DebeziumOnEmbeddedPostgresTest {
    @Test
    void insertsUpdatesAndDeletesOfATableArriveAsChangeEvents(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "4")
                .setServerConfig("max_wal_senders", "4")
                .start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA inventory");
                s.execute(
                        "CREATE TABLE inventory.stock (sku text, warehouse text, quantity int, PRIMARY KEY (sku, warehouse))");
                s.execute("ALTER TABLE inventory.stock REPLICA IDENTITY FULL");
            }
            Properties props = new Properties();
            props.setProperty("name", "inventory-cdc");
            props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
            props.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
            props.setProperty(
                    "offset.storage.file.filename", dir.resolve("offsets.dat").toString());
            props.setProperty("offset.flush.interval.ms", "100");
            props.setProperty("database.hostname", "localhost");
            props.setProperty("database.port", String.valueOf(pg.getPort()));
            props.setProperty("database.user", "postgres");
            props.setProperty("database.password", "postgres");
            props.setProperty("database.dbname", "postgres");
            props.setProperty("topic.prefix", "inventory");
            props.setProperty("plugin.name", "pgoutput");
            props.setProperty("table.include.list", "inventory.stock");
            props.setProperty("slot.name", "backbone_inventory");
            List<String> events = new CopyOnWriteArrayList<>();
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try (DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
                    .using(props)
                    .notifying(e -> events.add(e.value()))
                    .build()) {
                executor.execute(engine);
                long deadline = System.currentTimeMillis() + 60_000;
                boolean written = false;
                while (System.currentTimeMillis() < deadline && events.size() < 3) {
                    if (!written) {
                        Thread.sleep(3000); // the snapshot and the slot first
                        try (Connection c = pg.getPostgresDatabase().getConnection();
                                Statement s = c.createStatement()) {
                            s.execute("INSERT INTO inventory.stock VALUES ('TEE-0001', 'BER-1', 12)");
                            s.execute("UPDATE inventory.stock SET quantity = 11 WHERE sku = 'TEE-0001'");
                            s.execute("DELETE FROM inventory.stock WHERE sku = 'TEE-0001'");
                        }
                        written = true;
                    }
                    Thread.sleep(200);
                }
            } finally {
                executor.shutdown();
                executor.awaitTermination(30, TimeUnit.SECONDS);
            }
            assertThat(events).hasSizeGreaterThanOrEqualTo(3);
            assertThat(String.join("\n", events))
                    .contains("\"op\":\"c\"")
                    .contains("\"op\":\"u\"")
                    .contains("\"op\":\"d\"");
        }
    }
}
