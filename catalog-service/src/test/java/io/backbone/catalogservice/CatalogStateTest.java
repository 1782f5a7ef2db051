package io.backbone.catalogservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.product.DataProduct;
import io.backbone.product.PlatformTopics;
import io.backbone.product.ProductCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What the catalog makes of the records on the backbone's topics, including records that do not belong there. */
class CatalogStateTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final CatalogState state = new CatalogState(Map.of("bootstrap.servers", "127.0.0.1:1"), Duration.ofDays(3650));
    long offset;

    ConsumerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ConsumerRecord<>(
                topic,
                0,
                offset++,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    ObjectNode status(String product, String instance, String start, long in, long dead) {
        ObjectNode s = JSON.createObjectNode()
                .put("product", product)
                .put("instance", instance)
                .put("windowStart", start)
                .put("windowEnd", start)
                .put("in", in)
                .put("valid", in - dead)
                .put("deadLettered", dead);
        s.putObject("deadLetteredByRule").put("currency.invalidValues", dead);
        s.putObject("latencyMs").put("count", in - dead).put("p95", 40);
        s.putArray("promises").addObject().put("promise", "dead-letter-ratio").put("kept", dead * 10 < in);
        return s;
    }

    @Test
    void recordsThatDoNotBelongAreSkippedCountedAndNamedByTopicPartitionAndOffset() {
        state.apply(record(PlatformTopics.CATALOG, "orders", "<html>proxy error</html>"));
        state.apply(record(PlatformTopics.CATALOG, "orders", "{\"id\": \"payments\", \"contracts\": {}}"));
        state.apply(record(
                PlatformTopics.STATUS,
                "orders",
                "{\"product\": \"orders\", \"windowStart\": \"yesterday\", \"in\": 1}"));
        state.apply(record(PlatformTopics.ALERTS, null, "[1, 2]"));

        assertThat(state.skipped()).isEqualTo(4);
        assertThat(state.lastSkipped()).isEqualTo("_backbone.alerts-0@3: not a JSON object");
        assertThat(state.products()).isEmpty();
    }

    @Test
    void aTombstoneRemovesAProduct() {
        state.apply(record(PlatformTopics.CATALOG, "orders", "{\"id\": \"orders\", \"contracts\": {}}"));
        assertThat(state.products()).containsOnlyKeys("orders");

        state.apply(record(PlatformTopics.CATALOG, "orders", null));

        assertThat(state.products()).isEmpty();
        assertThat(state.skipped()).isZero();
    }

    @Test
    void windowsAreSummedOverInstancesAndIntoTotals() {
        state.apply(record(
                PlatformTopics.STATUS,
                "orders",
                status("orders", "a", "2026-12-01T10:00:00Z", 100, 2).toString()));
        state.apply(record(
                PlatformTopics.STATUS,
                "orders",
                status("orders", "b", "2026-12-01T10:00:00Z", 50, 20).toString()));
        state.apply(record(
                PlatformTopics.STATUS,
                "orders",
                status("orders", "a", "2026-12-01T10:01:00Z", 10, 0).toString()));

        List<JsonNode> windows = state.windows("orders");
        assertThat(windows).hasSize(2);
        JsonNode first = windows.get(0);
        assertThat(first.path("in").asLong()).isEqualTo(150);
        assertThat(first.path("deadLettered").asLong()).isEqualTo(22);
        assertThat(first.path("deadLetteredByRule")
                        .path("currency.invalidValues")
                        .asLong())
                .isEqualTo(22);
        assertThat(first.path("state").asText()).isEqualTo("BROKEN"); // instance b broke the promise
        JsonNode totals = state.totals("orders");
        assertThat(totals.path("in").asLong()).isEqualTo(160);
        assertThat(totals.path("valid").asLong()).isEqualTo(138);
    }

    @Test
    void theLineageGraphHasExactlyTheEdgesOfTheDescriptorsPorts() {
        Map<String, JsonNode> records = OpenLineageEventsTest.shippedRecords();
        Lineage g = Lineage.of(records, topic -> List.of());

        Set<String> expected = new HashSet<>();
        for (DataProduct p : ProductCatalog.shipped().products()) {
            p.sourceTopics().forEach(t -> expected.add("topic:" + t + " reads product:" + p.id()));
            expected.add("product:" + p.id() + " writes topic:" + p.productTopic());
            expected.add("product:" + p.id() + " dead-letters topic:" + p.dlqTopic());
        }
        assertThat(g.edges)
                .extracting(e -> e.from() + " " + e.kind() + " " + e.to())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(g.svg())
                .startsWith("<svg")
                .contains("orders.raw.order-events")
                .contains("href=\"/products/paid-orders\"");
    }

    @Test
    void piiThatTheTopicDoesNotMaskIsWithheldFromSamples() throws Exception {
        ObjectNode value = (ObjectNode)
                JSON.readTree(
                        "{\"email\": \"a@b.de\", \"phone\": null, \"address\": {\"street\": \"Hauptstr. 1\", \"city\": \"Köln\"}}");

        ClusterView.withhold(value, Map.of("email", "keep", "phone", "keep", "address.street", "hash"));

        assertThat(value.path("email").asText()).isEqualTo("‹withheld: PII›");
        assertThat(value.path("phone").isNull()).isTrue();
        assertThat(value.path("address").path("street").asText())
                .isEqualTo("Hauptstr. 1"); // hashed on the topic already
    }

    @Test
    void listParametersAreCheckedByName() {
        CatalogApi api = new CatalogApi(state, null, "127.0.0.1:9092");

        assertThatThrownBy(() -> api.list(Map.of("owne", "orders")))
                .isInstanceOfSatisfying(CatalogApi.BadRequest.class, e -> {
                    assertThat(e.status).isEqualTo(400);
                    assertThat(e.parameter).isEqualTo("owne");
                    assertThat(e.fix).contains("owner");
                });
        assertThatThrownBy(() -> api.list(Map.of("status", "GREEN")))
                .isInstanceOfSatisfying(
                        CatalogApi.BadRequest.class, e -> assertThat(e.fix).contains("BROKEN"));
        assertThatThrownBy(() -> api.product("nope"))
                .isInstanceOfSatisfying(
                        CatalogApi.BadRequest.class, e -> assertThat(e.status).isEqualTo(404));
    }
}
