package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each runnable as its own process against a broker and registry started by {@code backbone dev-cluster}, reached
 * through flags and through the environment variables, as an operator would run them.
 */
class ExternalClusterIT {
    static final String JAR = System.getProperty("backbone.jar", "target/backbone.jar");
    final List<Process> running = new ArrayList<>();

    record Result(int exit, String out, String err) {}

    @AfterEach
    void stopAll() {
        running.forEach(Process::destroy);
        running.forEach(p -> {
            try {
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    Process start(Map<String, String> env, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", JAR));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(log == null);
        pb.environment().putAll(env);
        if (log != null) {
            pb.redirectOutput(log.toFile()).redirectError(log.toFile());
        }
        Process p = pb.start();
        running.add(p);
        return p;
    }

    /** Runs a command to its end; stdout and stderr go to files, so a full pipe can never stall the child. */
    Result run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", JAR));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("backbone-out", ".txt");
        Path err = Files.createTempFile("backbone-err", ".txt");
        try {
            ProcessBuilder pb =
                    new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            assertThat(ended).as("backbone %s finished", List.of(args)).isTrue();
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void everyRunnableWorksAgainstADevCluster(@TempDir Path tmp) throws Exception {
        // insecure: this test is about every runnable as its own process; SecuredAccessIT covers the secured cluster
        Process cluster = start(Map.of(), null, "dev-cluster", "--registry-port", "0", "--insecure");
        String bootstrap = null;
        String registry = null;
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(cluster.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (bootstrap == null || registry == null) && (line = lines.readLine()) != null; ) {
            if (line.startsWith("export KAFKA_BOOTSTRAP_SERVERS=")) {
                bootstrap = line.substring(line.indexOf('=') + 1);
            } else if (line.startsWith("export SCHEMA_REGISTRY_URL=")) {
                registry = line.substring(line.indexOf('=') + 1);
            }
        }
        assertThat(bootstrap).isNotNull();
        assertThat(registry).startsWith("http://");
        Map<String, String> none = Map.of();
        String[] flags = {"--bootstrap-servers", bootstrap, "--schema-registry-url", registry};

        Result provision = run(none, concat(new String[] {"provision"}, flags));
        assertThat(provision.exit()).as(provision.err()).isZero();
        assertThat(provision.out()).contains("orders.product.orders.v1", "customers.dlq.customer-events", "created");

        Result missingSecret = run(Map.of("BACKBONE_MASKING_SECRET", ""), concat(new String[] {"topology"}, flags));
        assertThat(missingSecret.exit()).isEqualTo(2);
        assertThat(missingSecret.err()).contains("BACKBONE_MASKING_SECRET");

        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "SCHEMA_REGISTRY_URL", registry,
                "BACKBONE_MASKING_SECRET", "external-cluster-it-secret");
        start(
                env,
                tmp.resolve("topology.log"),
                "topology",
                "--state-dir",
                tmp.resolve("state").toString(),
                "--management-port",
                "0",
                "--log-format",
                "json");

        Result produce = run(env, "produce", "all", "--events", "400", "--invalid-ratio", "0.1");
        assertThat(produce.exit()).as(produce.err()).isZero();
        assertThat(produce.out()).contains("orders.raw.order-events", "not-framed");

        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    Result consume = run(
                            env,
                            "consume",
                            "customers.product.customers.v1",
                            "--from-beginning",
                            "--timeout-ms",
                            "3000");
                    assertThat(consume.exit()).isZero();
                    List<String> records =
                            consume.out().lines().filter(l -> l.startsWith("{")).toList();
                    assertThat(records).isNotEmpty();
                    assertThat(records).allSatisfy(r -> assertThat(r).containsPattern("\"email\": \"[0-9a-f]{64}\""));
                });

        Result dlq = run(
                env,
                "consume",
                "orders.dlq.order-events",
                "--from-beginning",
                "--timeout-ms",
                "3000",
                "--print-headers");
        assertThat(dlq.out()).contains("\"backbone.stage\"", "__streams.errors.offset");

        operatedWithTheirOwnTools(tmp.resolve("topology.log"));

        Result sales = run(env, "sales");
        assertThat(sales.exit()).as(sales.err()).isZero();
        assertThat(sales.out()).contains("revenue", "orders and");
        try (org.apache.kafka.clients.admin.Admin admin =
                org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            // Kafka's own tools see the sales view's position: its groups commit what they read
            assertThat(admin.listConsumerGroupOffsets("sales-view-orders")
                            .partitionsToOffsetAndMetadata()
                            .get())
                    .isNotEmpty()
                    .allSatisfy((tp, offset) -> assertThat(offset.offset()).isPositive());
        }

        Result describe = run(env, "topology", "--describe");
        assertThat(describe.out()).contains("orders-contract", "orders.product.orders.v1", "orders.dlq.order-events");
    }

    /**
     * The running topology as an operator's tools see it: Prometheus scrapes the product and rule counters and every
     * metric the shipped dashboard and alert rules query, the probes answer, and a log pipeline reads JSON lines.
     */
    private static void operatedWithTheirOwnTools(Path log) throws Exception {
        String ops = ItSupport.managementUrl(log);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(ItSupport.get(ops + "/health/ready").status())
                                .isEqualTo(200));
        ItSupport.Http ready = ItSupport.get(ops + "/health/ready");
        assertThat(ready.body()).contains("\"streams\":{\"status\":\"UP\",\"detail\":\"RUNNING\"}", "schemaRegistry");
        assertThat(ItSupport.get(ops + "/health/live").status()).isEqualTo(200);
        String metrics = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> ItSupport.get(ops + "/metrics").body(),
                        m -> ItSupport.sample(
                                                m,
                                                "backbone_dead_letters_total{product=\"orders\",stage=\"deserialize\"}")
                                        > 0
                                // the shop soils some values the contracts correct
                                && m.contains("backbone_corrections_total{"));
        assertThat(ItSupport.sample(metrics, "backbone_records_published_total{product=\"orders\"}"))
                .isPositive();
        assertThat(metrics)
                .containsPattern(
                        "backbone_rule_violations_total\\{product=\"orders\",rule=\"[^\"]+\",severity=\"error\"} [1-9]");

        java.util.Set<String> referenced = new java.util.TreeSet<>();
        for (String file : List.of("grafana/backbone-dashboard.json", "prometheus/backbone-alerts.yml")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(?:backbone|kafka|jvm|process)_[a-z0-9_]+")
                    .matcher(Files.readString(Path.of("..", "deploy", file)));
            while (m.find()) {
                referenced.add(m.group());
            }
        }
        assertThat(referenced).as("metrics the dashboard and alerts query").hasSizeGreaterThan(12);
        java.util.Set<String> exposed = metrics.lines()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0])
                .collect(java.util.stream.Collectors.toSet());
        assertThat(referenced)
                .as("every metric the dashboard and alert rules use is on /metrics")
                .allSatisfy(name -> assertThat(exposed).contains(name));

        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (!line.isBlank()) {
                events.add(json.readTree(line));
            }
        }
        assertThat(events)
                .as("--log-format json: every line a JSON event")
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.has("level") && e.has("message")).isTrue());
        assertThat(events)
                .as("record-level fields where they apply")
                .anySatisfy(e -> assertThat(e.path("product").asText()).isNotEmpty())
                .anySatisfy(e -> assertThat(e.path("message").asText()).startsWith("Management port: http://"));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
