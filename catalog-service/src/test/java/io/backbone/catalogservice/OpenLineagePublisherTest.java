package io.backbone.catalogservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The events reach an OpenLineage HTTP endpoint, one POST each, and a refusing endpoint is survived. */
class OpenLineagePublisherTest {
    HttpServer endpoint;
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final List<String> authorization = new CopyOnWriteArrayList<>();
    final AtomicInteger answer = new AtomicInteger(201);

    @BeforeEach
    void start() throws Exception {
        endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/api/v1/lineage", exchange -> {
            received.add(new ObjectMapper().readTree(exchange.getRequestBody().readAllBytes()));
            authorization.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"error\": \"no\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        endpoint.start();
    }

    @AfterEach
    void stop() {
        endpoint.stop(0);
    }

    @Test
    void everyProductsEventIsPostedWithTheApiKey() {
        var events = OpenLineageEvents.events(
                OpenLineageEventsTest.shippedRecords(), "kafka://127.0.0.1:9092", id -> null, Instant.now());
        List<JsonNode> list = new java.util.ArrayList<>();
        events.forEach(list::add);
        URI url = URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/api/v1/lineage");

        try (OpenLineagePublisher publisher = new OpenLineagePublisher(url, "k3y", () -> list)) {
            assertThat(publisher.publish()).isEqualTo(list.size());
            answer.set(500);
            assertThat(publisher.publish()).isZero();
        }

        assertThat(received).hasSize(2 * list.size());
        assertThat(received.get(0)).isEqualTo(list.get(0));
        assertThat(authorization).containsOnly("Bearer k3y");
    }

    @Test
    void anEndpointThatIsAwayCountsNothingAndThrowsNothing() {
        URI url = URI.create("http://127.0.0.1:1/api/v1/lineage");
        try (OpenLineagePublisher publisher =
                new OpenLineagePublisher(url, null, () -> List.of(new ObjectMapper().createObjectNode()))) {
            assertThat(publisher.publish()).isZero();
        }
    }
}
