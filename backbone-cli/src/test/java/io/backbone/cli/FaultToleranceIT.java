package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.demo.Reconciler;
import io.backbone.demo.StreamReport;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.TestPlatform;
import io.backbone.producer.simulation.Ledger;
import io.backbone.producer.simulation.ShopSimulator;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RestSchemaRegistryClient;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes while events flow, each against separate processes: topology instances killed with SIGKILL (the other
 * takes over, the killed one restarts), and the broker itself killed and restarted on its kept log directory. After
 * each, committed reads of every raw, product and DLQ topic are reconciled against the simulators' ledger: every
 * event is in exactly one of its product and its DLQ, once (duplicates the simulators sent on purpose are dropped).
 */
class FaultToleranceIT {
    static final String SECRET = "fault-tolerance-it-secret-0123456789";
    static final String APP = "fault-it";
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void instancesKilledMidStreamTheOtherTakesOverAndAKilledOneRestarts(@TempDir Path dir) throws Exception {
        TestPlatform platform = TestPlatform.get();
        ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
        ProductCatalog catalog = ProductCatalog.shipped();
        ItSupport.provisioned(settings, Path.of("../schemas/src/main/resources/catalog"));
        Path streamsConfig = dir.resolve("streams.properties");
        // a killed member is noticed after 6 s instead of 45 s
        Files.writeString(streamsConfig, "session.timeout.ms=6000\nheartbeat.interval.ms=1500\n");

        Process a = topology(dir, "a-1", settings, streamsConfig);
        Process b = topology(dir, "b-1", settings, streamsConfig);
        awaitReady(dir, "a-1");
        awaitReady(dir, "b-1");

        Shop shop = produce(settings, 100, 31);
        flowed(settings, 200);
        assertThat(shop.ledger()).as("mid-stream").isNotDone();
        a.destroyForcibly().waitFor(20, TimeUnit.SECONDS); // SIGKILL mid-stream: b takes over a's partitions
        flowed(settings, 300);
        Process a2 = topology(dir, "a-2", settings, streamsConfig); // restarted on its old state directory
        awaitReady(dir, "a-2");
        flowed(settings, 200);
        assertThat(shop.ledger()).as("mid-stream").isNotDone();
        b.destroyForcibly().waitFor(20, TimeUnit.SECONDS); // and now the other one: the restarted a takes over
        flowed(settings, 300);
        assertThat(shop.ledger()).as("mid-stream").isNotDone();
        a2.destroyForcibly().waitFor(20, TimeUnit.SECONDS); // the last instance: nothing runs until it restarts
        flowed(settings, 200);
        Process a3 = topology(dir, "a-3", settings, streamsConfig);
        awaitReady(dir, "a-3");
        flowed(settings, 200);
        Ledger ledger = shop.stop();

        assertThat(ledger.sendFailures()).isZero();
        ItSupport.awaitCommitted(settings, catalog, APP, Duration.ofMinutes(3));
        assertThat(a3.isAlive()).isTrue();
        reconcile(settings, catalog, ledger);
    }

    @Test
    void brokerKilledAndRestartedMidStreamOnItsLogDirectory(@TempDir Path dir) throws Exception {
        int kafkaPort = freePort();
        int registryPort = freePort();
        Path data = dir.resolve("cluster");
        Process cluster = cluster(dir, "cluster-1", data, kafkaPort, registryPort);
        ClientSettings settings = ClientSettings.of("127.0.0.1:" + kafkaPort, "http://127.0.0.1:" + registryPort);
        awaitLine(dir, "cluster-1", "export SCHEMA_REGISTRY_URL=");
        ProductCatalog catalog = ItSupport.provisioned(settings, Path.of("../schemas/src/main/resources/catalog"));
        Path streamsConfig = dir.resolve("streams.properties");
        Files.writeString(streamsConfig, "session.timeout.ms=6000\nheartbeat.interval.ms=1500\n");
        topology(dir, "topology", settings, streamsConfig);
        awaitReady(dir, "topology");

        Shop shop = produce(settings, 100, 47);
        flowed(settings, 300);
        assertThat(shop.ledger()).as("mid-stream").isNotDone();
        cluster.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no clean shutdown of the log
        // down while it recovers its log on restart; the producers buffer and retry meanwhile
        cluster(dir, "cluster-2", data, kafkaPort, registryPort);
        awaitLine(dir, "cluster-2", "export SCHEMA_REGISTRY_URL=");
        flowed(settings, 300);
        Ledger ledger = shop.stop();

        assertThat(ledger.sendFailures())
                .as("the producers retried through the outage")
                .isZero();
        ItSupport.awaitCommitted(settings, catalog, APP, Duration.ofMinutes(3));
        reconcile(settings, catalog, ledger);
    }

    /** Waits until the shop has written at least {@code events} more records to the raw topics: events flow between faults. */
    private static void flowed(ClientSettings settings, long events) {
        long start = rawRecords(settings);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> rawRecords(settings) >= start + events);
    }

    private static long rawRecords(ClientSettings settings) {
        try (org.apache.kafka.clients.admin.Admin admin = settings.admin()) {
            java.util.Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                    new java.util.HashMap<>();
            for (var d : admin.describeTopics(List.of(
                            "orders.raw.order-events", "payments.raw.payment-events", "customers.raw.customer-events"))
                    .allTopicNames()
                    .get()
                    .values()) {
                d.partitions()
                        .forEach(p -> latest.put(
                                new org.apache.kafka.common.TopicPartition(d.name(), p.partition()),
                                org.apache.kafka.clients.admin.OffsetSpec.latest()));
            }
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo::offset)
                    .sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every stream product reconciles: raw = product + DLQ + duplicates, each event once, from committed reads. */
    private static void reconcile(ClientSettings settings, ProductCatalog catalog, Ledger ledger) {
        try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig())) {
            Reconciler reconciler = new Reconciler(settings.clientConfig(), registry);
            int checked = 0;
            for (DataProduct p : catalog.products()) {
                if (p.join() != null
                        || p.rawTopic() == null
                        || ledger.forTopic(p.rawTopic()).isEmpty()) {
                    continue;
                }
                StreamReport report = reconciler.reconcile(p, ledger, -1);
                assertThat(report.problems()).as(p.id()).isEmpty();
                assertThat(report.productOut()).as(p.id()).isPositive();
                assertThat(report.dlqOut()).as(p.id()).isPositive();
                checked++;
            }
            assertThat(checked).as("customers, both majors of orders, payments").isEqualTo(4);
            // the two majors of orders, each exactly once: the records of one event carry the same event id and key
            Map<String, String> one = keyByEventId(settings, registry, "orders.product.orders.v1");
            Map<String, String> two = keyByEventId(settings, registry, "orders.product.orders.v2");
            assertThat(two).isNotEmpty().isEqualTo(one);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Each record's key by its event id, from committed reads of {@code topic}. */
    private static Map<String, String> keyByEventId(
            ClientSettings settings, RestSchemaRegistryClient registry, String topic) {
        io.backbone.serde.AvroDecoder decoder = io.backbone.serde.AvroDecoder.generic(registry);
        Map<String, String> out = new java.util.HashMap<>();
        for (var r : io.backbone.consumer.TopicReader.readAll(
                settings.clientConfig(), topic, java.time.Duration.ofSeconds(60))) {
            org.apache.avro.generic.GenericRecord value =
                    (org.apache.avro.generic.GenericRecord) decoder.decode(r.value());
            String previous = out.put(
                    String.valueOf(value.get("eventId")), new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(previous)
                    .as(topic + ": event " + value.get("eventId") + " twice")
                    .isNull();
        }
        return out;
    }

    /** The shop, producing at {@code rate} events/s until {@link Shop#stop()}: the faults take what time they take. */
    record Shop(ShopSimulator simulator, CompletableFuture<Ledger> ledger) {
        Ledger stop() throws Exception {
            assertThat(ledger).as("still producing when the faults are over").isNotDone();
            simulator.stop();
            try {
                return ledger.get(2, TimeUnit.MINUTES);
            } finally {
                simulator.close();
            }
        }
    }

    private static Shop produce(ClientSettings settings, int rate, long seed) {
        ShopSimulator simulator = new ShopSimulator(settings);
        return new Shop(
                simulator,
                CompletableFuture.supplyAsync(() ->
                        simulator.run(ShopSimulator.Plan.allDomains(1_000_000, 0.1, rate, seed), (sent, total) -> {})));
    }

    private Process topology(Path dir, String name, ClientSettings settings, Path streamsConfig) throws Exception {
        String instance = name.substring(0, name.indexOf('-') < 0 ? name.length() : name.indexOf('-'));
        return start(
                dir,
                name,
                "topology",
                "--bootstrap-servers",
                settings.bootstrapServers(),
                "--schema-registry-url",
                settings.schemaRegistryUrl(),
                "--application-id",
                APP,
                "--state-dir",
                dir.resolve("state-" + instance).toString(),
                "--streams-config",
                streamsConfig.toString(),
                "--management-port",
                "0");
    }

    private Process cluster(Path dir, String name, Path data, int kafkaPort, int registryPort) throws Exception {
        return start(
                dir,
                name,
                "dev-cluster",
                "--insecure",
                "--no-postgres",
                "--data-dir",
                data.toString(),
                "--kafka-port",
                String.valueOf(kafkaPort),
                "--registry-port",
                String.valueOf(registryPort));
    }

    private Process start(Path dir, String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                System.getProperty("backbone.jar", "target/backbone.jar")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("BACKBONE_MASKING_SECRET", SECRET);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /** Waits until the instance's management port says it is ready (Kafka Streams RUNNING, registry answering). */
    private static void awaitReady(Path dir, String name) throws Exception {
        awaitLine(dir, name, "Management port: ");
        String ops = ItSupport.managementUrl(dir.resolve(name + ".log"));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> ItSupport.get(ops + "/health/ready").status() == 200);
    }

    private static void awaitLine(Path dir, String name, String text) {
        Path log = dir.resolve(name + ".log");
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Files.exists(log) && Files.readString(log).contains(text));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
