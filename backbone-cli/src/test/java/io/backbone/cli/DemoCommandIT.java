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
        assertThat(report.path("streams")).hasSize(3);
        long rawIn = 0;
        for (JsonNode s : report.path("streams")) {
            assertThat(s.path("problems")).isEmpty();
            long dlq = 0;
            for (JsonNode n : s.path("dlqByStage")) {
                dlq += n.asLong();
            }
            assertThat(s.path("productOut").asLong()
                            + dlq
                            + s.path("duplicatesDropped").asLong())
                    .isEqualTo(s.path("rawIn").asLong());
            rawIn += s.path("rawIn").asLong();
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
