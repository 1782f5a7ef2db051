package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code backbone demo --json} on the embedded default reconciles, and says so in its exit status. */
class DemoCommandIT {

    @Test
    void demoReconcilesAndPrintsTheFiguresAsJson() throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = BackboneCommand.execute("demo", "--events", "2000", "--invalid-ratio", "0.1", "--json");
        } finally {
            System.setOut(stdout);
        }

        JsonNode report = new ObjectMapper().readTree(captured.toString(StandardCharsets.UTF_8));
        assertThat(exit).isZero();
        assertThat(report.path("reconciled").asBoolean()).isTrue();
        assertThat(report.path("streams")).hasSize(4);
        long rawIn = 0;
        java.util.Map<String, JsonNode> byProduct = new java.util.HashMap<>();
        java.util.Set<String> rawTopics = new java.util.HashSet<>();
        for (JsonNode s : report.path("streams")) {
            byProduct.put(s.path("product").asText(), s);
            assertThat(s.path("problems")).isEmpty();
            long dlq = 0;
            for (JsonNode n : s.path("dlqByStage")) {
                dlq += n.asLong();
            }
            assertThat(s.path("productOut").asLong()
                            + dlq
                            + s.path("duplicatesDropped").asLong())
                    .isEqualTo(s.path("rawIn").asLong());
            if (rawTopics.add(s.path("rawTopic").asText())) {
                rawIn += s.path("rawIn").asLong();
            }
            // the simulators soil values the contracts correct (orders, customers); each one arrives corrected
            assertThat(s.path("corrected").asLong())
                    .as(s.path("rawTopic").asText())
                    .isEqualTo(s.path("expected").path("corrected").asLong());
            if (!s.path("rawTopic").asText().startsWith("payments.")) {
                assertThat(s.path("corrected").asLong())
                        .as(s.path("rawTopic").asText())
                        .isPositive();
            }
        }
        // both majors of the orders product reconcile on their own, from one raw stream, with the same outcome
        JsonNode v1 = byProduct.get("orders");
        JsonNode v2 = byProduct.get("orders.v2");
        assertThat(v2.path("productTopic").asText()).isEqualTo("orders.product.orders.v2");
        assertThat(v2.path("rawIn").asLong()).isEqualTo(v1.path("rawIn").asLong());
        assertThat(v2.path("productOut").asLong())
                .isEqualTo(v1.path("productOut").asLong());
        assertThat(v2.path("dlqByStage")).isEqualTo(v1.path("dlqByStage"));
        // who reads which major: the sales view moved to v2, the paid-orders join (the topology) still reads v1
        java.util.Map<String, JsonNode> versions = new java.util.HashMap<>();
        report.path("versions").forEach(v -> versions.put(v.path("productTopic").asText(), v));
        assertThat(versions.keySet()).containsExactlyInAnyOrder("orders.product.orders.v1", "orders.product.orders.v2");
        JsonNode one = versions.get("orders.product.orders.v1");
        assertThat(one.path("status").asText()).isEqualTo("deprecated");
        assertThat(one.path("successor").asText()).isEqualTo("orders.product.orders.v2");
        assertThat(one.path("consumerGroups").toString()).contains("backbone-demo");
        assertThat(versions.get("orders.product.orders.v2")
                        .path("consumerGroups")
                        .toString())
                .contains("sales-analytics.demo-orders")
                .doesNotContain("backbone-demo");
        // the orders service's outbox refused its spoiled orders before they left it; the rest was relayed
        JsonNode outbox = report.path("outbox");
        assertThat(outbox.path("refused").asLong()).isPositive();
        assertThat(outbox.path("relayed").asLong())
                .isEqualTo(outbox.path("committed").asLong());
        assertThat(outbox.path("depth").asLong()).isZero();
        assertThat(rawIn + outbox.path("refused").asLong()).isEqualTo(2000);
        assertThat(report.path("sales")).isNotEmpty();
        // the inventory database, captured: the entity product is the table, every captured change accounted for
        com.fasterxml.jackson.databind.JsonNode cdc = report.path("cdc").get(0);
        assertThat(cdc.path("reconciled").asBoolean()).as(cdc.toString()).isTrue();
        assertThat(cdc.path("rows").asLong()).isPositive();
        assertThat(cdc.path("entityRows").asLong()).isEqualTo(cdc.path("rows").asLong());
        assertThat(cdc.path("rowsEqual").asLong() + cdc.path("heldAtLastValid").asLong())
                .isEqualTo(cdc.path("rows").asLong());
        assertThat(cdc.path("eventsOut").asLong() + cdc.path("deadLettered").asLong())
                .isEqualTo(cdc.path("distinctChanges").asLong());
    }
}
