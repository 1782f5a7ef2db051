package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.kafka.ClientSettings;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.platform.LocalPostgres;
import io.backbone.producer.orders.OrderBook;
import io.backbone.producer.orders.OrdersService;
import io.backbone.producer.outbox.OutboxPublisher;
import io.backbone.producer.publish.ContractCheck;
import io.backbone.producer.publish.EventPublisher;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.Provisioner;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.topology.BackboneApp;
import io.backbone.topology.BackboneConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transactional outbox end to end: the orders service commits orders and their events in one PostgreSQL transaction (some roll
 * back); the relay ({@code backbone cdc --outbox}, the shipped jar, its own process) is killed with SIGKILL and
 * started again; the broker (its own process) is frozen with SIGSTOP for longer than a direct publisher's delivery
 * timeout, which gives up on its event meanwhile. Every committed order's event reaches the orders product exactly
 * once; no rolled-back order's event appears anywhere.
 */
class OutboxIT {
    static final String APP_ID = "backbone-outbox-it";
    static final String SECRET = "outbox-it-masking-secret-0123456789";

    @Test
    void everyCommittedOrderReachesItsProductOnceThroughAFrozenBrokerAndAKilledRelay(@TempDir Path dir)
            throws Exception {
        Path env = dir.resolve("cluster.env");
        Process cluster = new ProcessBuilder(
                        java(),
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        jar(),
                        "dev-cluster",
                        "--insecure",
                        "--registry-port",
                        "0",
                        "--no-postgres")
                .redirectOutput(env.toFile())
                .redirectError(dir.resolve("cluster.log").toFile())
                .start();
        Process relay = null;
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> Files.readString(env).contains("export SCHEMA_REGISTRY_URL="));
            Map<String, String> exports = new HashMap<>();
            for (String line : Files.readAllLines(env)) {
                if (line.startsWith("export ")) {
                    String[] kv = line.substring(7).split("=", 2);
                    exports.put(kv[0], kv[1]);
                }
            }
            ClientSettings settings =
                    ClientSettings.of(exports.get("KAFKA_BOOTSTRAP_SERVERS"), exports.get("SCHEMA_REGISTRY_URL"));
            ProductCatalog catalog = ProductCatalog.shipped();
            DataProduct orders = catalog.product("orders");
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig());
            try (Admin admin = settings.admin()) {
                new Provisioner(admin, registry, 2).provision(catalog.products());
            }
            try (LocalPostgres pg = LocalPostgres.start(0);
                    Connection db = pg.connect();
                    OutboxPublisher outbox = new OutboxPublisher(
                            OrderBook.OUTBOX,
                            OrdersService.SOURCE,
                            settings,
                            new ContractCheck(catalog, ContractCheck.Mode.REJECT));
                    EventPublisher direct = directPublisher(settings)) {
                OrderBook book = new OrderBook(db, outbox);
                // the direct publisher knows its schema id before the outage (the registry lives in the frozen
                // process too): what it meets during the outage is the broker alone
                direct.encode(
                        OrdersService.TOPIC,
                        OrdersService.place("ord-warmup", "cus-000009", new Random(1), Instant.now()));
                relay = relay(dir, "relay-1", settings, pg);
                Random rnd = new Random(17);
                List<String> committed = new ArrayList<>();
                Set<String> rolledBack = new HashSet<>();
                CompletableFuture<RecordMetadata> directDuringOutage = null;
                for (int i = 0; i < 220; i++) {
                    OrderEvent e = OrdersService.place(String.format("ord-%08d", i), "cus-000001", rnd, Instant.now());
                    boolean commit = i % 9 != 4;
                    book.record(e, commit);
                    if (commit) {
                        committed.add(e.getEventId());
                    } else {
                        rolledBack.add(e.getEventId());
                    }
                    if (i == 30) {
                        // two rows a careless or hostile service wrote: another domain's topic, and none that exists
                        for (String topic : List.of("payments.raw.payment-events", "orders.raw.no-such-stream")) {
                            db.setAutoCommit(false);
                            try (java.sql.PreparedStatement insert = db.prepareStatement("INSERT INTO "
                                    + OrderBook.OUTBOX
                                    + " (id, aggregatetype, aggregateid, topic, payload, type, source, occurred_at)"
                                    + " VALUES (?, 'order', 'ord-hostile', ?, ?, 'x', 'x', now())")) {
                                insert.setString(1, "hostile-" + topic);
                                insert.setString(2, topic);
                                insert.setBytes(3, new byte[] {0, 0, 0, 0, 1});
                                insert.executeUpdate();
                            }
                            db.commit();
                        }
                    }
                    if (i == 60) {
                        // the relay dies mid-stream: SIGKILL, no shutdown hook, no last offset commit
                        relay.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                        relay = relay(dir, "relay-2", settings, pg);
                        // the new relay catches up (from the positions the killed one committed) before the outage
                        int expected = committed.size();
                        Awaitility.await()
                                .atMost(Duration.ofMinutes(1))
                                .pollInterval(Duration.ofMillis(500))
                                .until(() -> ItSupport.read(settings, orders.rawTopic())
                                                .size()
                                        >= expected);
                    }
                    if (i == 110) {
                        signal("STOP", cluster.pid());
                        directDuringOutage = direct.publish(
                                OrdersService.TOPIC,
                                "ord-direct",
                                OrdersService.place("ord-direct", "cus-000009", rnd, Instant.now()),
                                "direct-during-outage",
                                "ORDER_PLACED",
                                Instant.now());
                    }
                    if (i >= 110 && i < 150) {
                        Thread.sleep(450); // orders keep committing while the broker is frozen (about 18 s)
                    } else {
                        Thread.sleep(20);
                    }
                    if (i == 149) {
                        // the direct publisher gave up after its delivery timeout: that event is gone for good
                        assertThat(directDuringOutage)
                                .failsWithin(Duration.ofSeconds(5))
                                .withThrowableOfType(ExecutionException.class)
                                .withCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
                        signal("CONT", cluster.pid());
                    }
                }
                Process running = relay;
                AvroDecoder decoder = AvroDecoder.generic(registry);
                // the backbone builds the product from the raw topic as the relay left it (its own survival of a
                // broker outage is a fault test of the operations issue): each relayed duplicate dropped, once
                try (BackboneApp app = Backbone.start(
                        settings,
                        catalog,
                        APP_ID,
                        dir.resolve("state").toString(),
                        SECRET,
                        Map.of(BackboneConfig.PRODUCTS, "orders"))) {
                    Awaitility.await()
                            .atMost(Duration.ofMinutes(5))
                            .pollInterval(Duration.ofSeconds(1))
                            .untilAsserted(() -> assertThat(ids(settings, orders.productTopic(), decoder))
                                    .as("relay: %s", CdcIT.log(dir, "relay-2", running))
                                    .containsAll(committed));
                }

                List<String> product = ids(settings, orders.productTopic(), decoder);
                List<String> raw = ids(settings, orders.rawTopic(), decoder);
                assertThat(product).as("exactly once in the product").doesNotHaveDuplicates();
                assertThat(product).containsExactlyInAnyOrderElementsOf(committed);
                assertThat(raw).doesNotContainAnyElementsOf(rolledBack).doesNotContain("direct-during-outage");
                assertThat(ItSupport.read(settings, orders.dlqTopic())).isEmpty();
                // the two rows naming no raw topic of the domain were moved aside, and the relay went on past them
                List<ConsumerRecord<byte[], byte[]>> refused =
                        ItSupport.read(settings, io.backbone.product.PlatformTopics.outboxRefused("orders"));
                assertThat(refused)
                        .extracting(r -> new String(
                                r.headers().lastHeader("backbone.refused.topic").value(),
                                java.nio.charset.StandardCharsets.UTF_8))
                        .containsExactlyInAnyOrder("payments.raw.payment-events", "orders.raw.no-such-stream");
                assertThat(refused)
                        .allSatisfy(r -> assertThat(new String(
                                        r.headers()
                                                .lastHeader("backbone.refused.reason")
                                                .value(),
                                        java.nio.charset.StandardCharsets.UTF_8))
                                .contains("outbox row hostile-")
                                .contains("not one of the raw topics of domain orders"));
                assertThat(ItSupport.read(settings, "payments.raw.payment-events"))
                        .isEmpty();
            }
        } finally {
            if (relay != null) {
                relay.destroy();
                relay.waitFor(30, TimeUnit.SECONDS);
            }
            signal("CONT", cluster.pid());
            cluster.destroy();
            cluster.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static List<String> ids(ClientSettings settings, String topic, AvroDecoder decoder) {
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : ItSupport.read(settings, topic)) {
            ids.add(((GenericRecord) decoder.decode(r.value())).get("eventId").toString());
        }
        return ids;
    }

    /** A direct publisher whose delivery timeout (8 s) is shorter than the outage. */
    static EventPublisher directPublisher(ClientSettings settings) {
        Map<String, String> extra = new HashMap<>(settings.extra());
        extra.put("delivery.timeout.ms", "8000");
        extra.put("request.timeout.ms", "3000");
        extra.put("linger.ms", "0");
        return new EventPublisher(
                new ClientSettings(settings.bootstrapServers(), settings.schemaRegistryUrl(), extra),
                "/shop/orders-service-direct");
    }

    static Process relay(Path dir, String name, ClientSettings settings, LocalPostgres pg) throws Exception {
        return new ProcessBuilder(
                        java(),
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        jar(),
                        "cdc",
                        "--outbox",
                        OrderBook.OUTBOX,
                        "--domain",
                        "orders",
                        "--bootstrap-servers",
                        settings.bootstrapServers(),
                        "--schema-registry-url",
                        settings.schemaRegistryUrl(),
                        "--jdbc-url",
                        pg.jdbcUrl(),
                        "--db-password-file",
                        pg.writePasswordFile(dir).toString(),
                        "--management-port",
                        "0",
                        "--verbose")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    static void signal(String signal, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(pid))
                .inheritIO()
                .start()
                .waitFor(10, TimeUnit.SECONDS);
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String jar() {
        return System.getProperty("backbone.jar", "target/backbone.jar");
    }
}
