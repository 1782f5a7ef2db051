package io.backbone.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ManagementServerTest {
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> call(String method, String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPrometheusTextWithTheCommandsAndTheJvmsMetersRefreshedBeforeEachScrape() throws Exception {
        AtomicInteger refreshed = new AtomicInteger();
        try (ManagementServer server = ManagementServer.create().beforeScrape(refreshed::incrementAndGet)) {
            Counter.builder("backbone.dead.letters")
                    .tags("product", "orders", "stage", "quality")
                    .register(server.registry())
                    .increment(3);
            server.start("127.0.0.1", 0);
            assertThat(server.url()).startsWith("http://127.0.0.1:");

            HttpResponse<String> metrics = call("GET", server.url() + "/metrics");

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue(ManagementServer.PROMETHEUS_TEXT);
            assertThat(metrics.body())
                    .contains("# TYPE backbone_dead_letters_total counter")
                    .contains("backbone_dead_letters_total{product=\"orders\",stage=\"quality\"} 3.0")
                    .contains("jvm_memory_used_bytes{")
                    .contains("process_uptime_seconds");
            assertThat(refreshed).hasValue(1);
        }
    }

    @Test
    void readinessAndLivenessAreSeparateGroupsEachDownWhenOneOfItsChecksIs() throws Exception {
        AtomicBoolean running = new AtomicBoolean(false);
        try (ManagementServer server = ManagementServer.create()
                .liveness(new HealthCheck("streams", () -> HealthCheck.Result.up("REBALANCING")))
                .readiness(new HealthCheck(
                        "streams",
                        () -> new HealthCheck.Result(running.get(), running.get() ? "RUNNING" : "REBALANCING")))
                .readiness(new HealthCheck("schemaRegistry", () -> {
                    throw new IllegalStateException("registry answered 401");
                }))
                .start("127.0.0.1", 0)) {
            assertThat(call("GET", server.url() + "/health/live").statusCode()).isEqualTo(200);

            HttpResponse<String> ready = call("GET", server.url() + "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body())
                    .contains("\"status\":\"DOWN\"")
                    .contains("\"streams\":{\"status\":\"DOWN\",\"detail\":\"REBALANCING\"}")
                    .contains("IllegalStateException: registry answered 401");

            running.set(true);
            assertThat(call("GET", server.url() + "/health/ready").statusCode())
                    .as("still down: the registry check fails")
                    .isEqualTo(503);
        }
    }

    @Test
    void refusesWritesAndNamesTheEndpointsItHas() throws Exception {
        try (ManagementServer server = ManagementServer.create().start("127.0.0.1", 0)) {
            HttpResponse<String> post = call("POST", server.url() + "/metrics");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");

            HttpResponse<String> unknown = call("GET", server.url() + "/actuator");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("/metrics", "/health/live", "/health/ready");
        }
    }

    @Test
    void aTakenPortIsOneClearLine() throws Exception {
        try (ManagementServer first = ManagementServer.create().start("127.0.0.1", 0)) {
            int port = URI.create(first.url()).getPort();
            ManagementServer second = ManagementServer.create();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> second.start("127.0.0.1", port))
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("--management-port");
        }
    }
}
