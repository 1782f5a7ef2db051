package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The docs' sample demo output (docs/demo.md) has the demo's columns and figures that add up as the demo's do. */
class ReadmeSamplesTest {

    static List<List<String>> table(String readme, String firstColumn) {
        List<List<String>> rows = new ArrayList<>();
        boolean in = false;
        for (String line : readme.lines().toList()) {
            if (line.startsWith(firstColumn + " ")) {
                in = true;
            } else if (in && (line.startsWith("```") || line.isBlank())) {
                break;
            }
            if (in && !line.startsWith("---")) {
                rows.add(Arrays.stream(line.split("\\|")).map(String::trim).toList());
            }
        }
        assertThat(rows).as("a README table starting with '%s'", firstColumn).hasSizeGreaterThan(1);
        return rows;
    }

    /** The demo's page, where the README's sample output now lives (the README is a map of the docs). */
    static String readme() throws IOException {
        return Files.readString(Path.of("../docs/demo.md"));
    }

    @Test
    void theStreamTableHasTheDemosColumnsAndEveryEventIsAccountedFor() throws IOException {
        List<List<String>> rows = table(readme(), "raw topic");

        assertThat(rows.get(0)).isEqualTo(DemoCommand.streamTable().columns());
        long rawIn = 0;
        java.util.Set<String> rawTopics = new java.util.HashSet<>();
        for (List<String> r : rows.subList(1, rows.size())) {
            long dlq = 0;
            for (int i = 4; i <= 8; i++) {
                dlq += Long.parseLong(r.get(i));
            }
            assertThat(Long.parseLong(r.get(3)) + dlq + Long.parseLong(r.get(9)))
                    .as(r.get(1))
                    .isEqualTo(Long.parseLong(r.get(2)));
            assertThat(Long.parseLong(r.get(10)))
                    .as("corrected, among the published")
                    .isBetween(0L, Long.parseLong(r.get(3)));
            assertThat(r.get(12)).isEqualTo("yes");
            if (rawTopics.add(r.get(0))) {
                rawIn += Long.parseLong(r.get(2)); // every major of a product reads the same raw topic
            }
        }
        assertThat(rows)
                .as("both majors of the orders product")
                .extracting(r -> r.get(1))
                .contains("orders.product.orders.v1", "orders.product.orders.v2");
        List<List<String>> outbox = table(readme(), "outbox");
        assertThat(outbox.get(0)).isEqualTo(DemoCommand.outboxTable().columns());
        long refused = Long.parseLong(outbox.get(1).get(3));
        assertThat(Long.parseLong(outbox.get(1).get(2)))
                .as("committed = relayed + still in the outbox")
                .isEqualTo(Long.parseLong(outbox.get(1).get(4))
                        + Long.parseLong(outbox.get(1).get(5)));
        assertThat(rawIn + refused)
                .as("the README says the services send 10,000 events (the outbox refuses some before they leave)")
                .isEqualTo(10_000);
    }

    @Test
    void theJoinTableHasTheDemosColumnsAndOneProductRecordPerPair() throws IOException {
        List<List<String>> rows = table(readme(), "product topic");

        assertThat(rows.get(0)).isEqualTo(DemoCommand.joinTable().columns());
        for (List<String> r : rows.subList(1, rows.size())) {
            assertThat(Long.parseLong(r.get(4)) + Long.parseLong(r.get(5))).isEqualTo(Long.parseLong(r.get(3)));
            assertThat(Long.parseLong(r.get(3))).isLessThanOrEqualTo(Long.parseLong(r.get(2)));
            assertThat(r.get(6)).isEqualTo("yes");
        }
    }

    @Test
    void theCdcTableHasTheDemosColumnsAndTheEntityAccountsForEveryRow() throws IOException {
        List<List<String>> rows = table(readme(), "table");

        assertThat(rows.get(0)).isEqualTo(DemoCommand.cdcTable().columns());
        for (List<String> r : rows.subList(1, rows.size())) {
            long tableRows = Long.parseLong(r.get(1));
            assertThat(Long.parseLong(r.get(3)) + Long.parseLong(r.get(4)))
                    .as("captured = change product + dlq")
                    .isEqualTo(Long.parseLong(r.get(2)));
            assertThat(Long.parseLong(r.get(5))).as("entity rows").isEqualTo(tableRows);
            assertThat(Long.parseLong(r.get(6)) + Long.parseLong(r.get(7))).isEqualTo(tableRows);
            assertThat(r.get(8)).isEqualTo("yes");
        }
    }
}
