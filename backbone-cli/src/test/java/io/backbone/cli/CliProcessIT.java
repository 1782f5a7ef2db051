package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.platform.TestPlatform;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped jar as a user runs it: what a broken surrounding prints, and that it ends. */
class CliProcessIT {

    record Outcome(int exit, String out, String err) {}

    /** Runs the jar with stdout and stderr in files (no pipe to fill), and a hard bound so a hang fails the test. */
    static Outcome backbone(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-jar",
                System.getProperty("backbone.jar", "target/backbone.jar")));
        command.addAll(List.of(args));
        File out = dir.resolve("out.txt").toFile();
        File err = dir.resolve("err.txt").toFile();
        Process p = new ProcessBuilder(command)
                .redirectOutput(out)
                .redirectError(err)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        boolean ended = p.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as("backbone %s ended", String.join(" ", args)).isTrue();
        return new Outcome(
                p.exitValue(),
                Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    /** A port nobody listens on: bound, then closed, so connections are refused. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void anUnreachableBrokerGivesOneLineNamingTheAddressAndTheFix(@TempDir Path dir) throws Exception {
        String address = "127.0.0.1:" + closedPort();

        Outcome o = backbone(dir, "produce", "orders", "--bootstrap-servers", address, "--connect-timeout", "3");

        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err().strip().lines()).hasSize(1);
        assertThat(o.err())
                .contains("cannot reach Kafka at " + address)
                .contains("within 3 s")
                .contains("--bootstrap-servers");
        assertThat(o.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aBrokenJaasConfigurationGivesOneLineAndVerboseAddsTheTrace(@TempDir Path dir) throws Exception {
        Path props = Files.writeString(
                dir.resolve("client.properties"),
                "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"a\"\n");
        String address = "127.0.0.1:" + closedPort();

        Outcome o = backbone(dir, "consume", "x", "--bootstrap-servers", address, "--command-config", props.toString());
        Outcome verbose = backbone(
                dir, "consume", "x", "--bootstrap-servers", address, "--command-config", props.toString(), "--verbose");

        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err().strip().lines()).hasSize(1);
        assertThat(o.err()).contains("JAAS").contains("sasl.jaas.config");
        assertThat(verbose.err()).contains("\tat ");
    }

    @Test
    void devClusterPrintsExportLinesAShellCanSource(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("cluster.env");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        System.getProperty("backbone.jar", "target/backbone.jar"),
                        "dev-cluster",
                        "--registry-port",
                        "0")
                .redirectOutput(env.toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .start();
        try {
            try {
                org.awaitility.Awaitility.await()
                        .atMost(java.time.Duration.ofSeconds(90))
                        .until(() -> !p.isAlive() || Files.readString(env).contains("export SCHEMA_REGISTRY_URL="));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("dev-cluster printed no addresses in 90 s; its error output:\n"
                        + Files.readString(dir.resolve("err.txt")));
            }
            assertThat(p.isAlive())
                    .as("dev-cluster is still running; its error output:\n%s", Files.readString(dir.resolve("err.txt")))
                    .isTrue();
            Process shell = new ProcessBuilder(
                            "bash", "-c", ". " + env + " && echo \"$KAFKA_BOOTSTRAP_SERVERS $SCHEMA_REGISTRY_URL\"")
                    .redirectErrorStream(true)
                    .start();
            String printed = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

            assertThat(shell.waitFor()).isZero();
            assertThat(printed)
                    .matches(
                            "127\\.0\\.0\\.1:[0-9]+ http://127\\.0\\.0\\.1:[0-9]+|localhost:[0-9]+ http://127\\.0\\.0\\.1:[0-9]+");
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUnreachableRegistryGivesOneLine(@TempDir Path dir) throws Exception {
        String registry = "http://127.0.0.1:" + closedPort();

        Outcome o = backbone(
                dir,
                "produce",
                "orders",
                "--bootstrap-servers",
                TestPlatform.get().bootstrapServers(),
                "--schema-registry-url",
                registry,
                "--connect-timeout",
                "2");

        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err().strip().lines()).hasSize(1);
        assertThat(o.err())
                .contains("cannot reach the schema registry at " + registry)
                .contains("connection refused")
                .contains("--schema-registry-url")
                .doesNotContain("null");
    }
}
