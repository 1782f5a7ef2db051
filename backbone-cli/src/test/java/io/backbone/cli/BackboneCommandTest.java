package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.catalog.CatalogFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad flags and bad catalogs stop a command before it connects anywhere, naming the flag or file and the fix. */
class BackboneCommandTest {

    record Run(int exit, String err) {}

    static Run run(String... args) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return new Run(BackboneCommand.execute(args), captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(stderr);
        }
    }

    @Test
    void shouldRejectAnInvalidRatioNamingTheFlag() {
        Run r = run("demo", "--invalid-ratio", "1.5");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--invalid-ratio 1.5").contains("between 0 and 1");
    }

    @Test
    void shouldRejectANonNumericEventCount() {
        Run r = run("demo", "--events", "lots");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--events").contains("lots");
    }

    @Test
    void shouldRejectAnUnknownDomain() {
        Run r = run("produce", "inventory", "--bootstrap-servers", "localhost:1");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown domain 'inventory'");
    }

    @Test
    void shouldNameTheFileLineAndFixOfABrokenContract(@TempDir Path dir) throws IOException {
        CatalogFixtures.copyShipped(Path.of("../schemas"), dir);
        Path contract = dir.resolve("domains/orders/orders.odcs.yaml");
        Files.writeString(contract, Files.readString(contract).replace("- name: currency", "- name: currencyCode"));

        Run r = run(
                "topology", "--describe", "--catalog", dir.toString(), "--schema-registry-url", "http://localhost:1");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .containsPattern(
                        "orders\\.odcs\\.yaml:[0-9]+: .*currencyCode.* is not in Avro schema io\\.backbone\\.orders\\.v1\\.OrderEvent");
        assertThat(r.err()).contains("fix: name an existing field");
    }

    @Test
    void lintPassesTheShippedCatalogAndFailsABrokenOne(@TempDir Path dir) throws IOException {
        assertThat(run("lint").exit()).isZero();
        CatalogFixtures.copyShipped(Path.of("../schemas"), dir);
        Path contract = dir.resolve("domains/payments/payments.odcs.yaml");
        Files.writeString(contract, Files.readString(contract).replace("value: BACKWARD", "value: FORWARD"));

        Run r = run("lint", dir.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("lint: 1 problem(s)");
    }

    @Test
    void contractDiffFailsOnABreakingChangeOnlyWhenAsked(@TempDir Path dir) throws IOException {
        CatalogFixtures.copyShipped(Path.of("../schemas"), dir);
        Path old = Path.of("../schemas/src/main/resources/catalog/domains/payments/payments.odcs.yaml");
        Path changed = dir.resolve("domains/payments/payments.odcs.yaml");
        Files.writeString(changed, Files.readString(changed).replace("    value: BACKWARD\n", "    value: NONE\n"));

        assertThat(run("contract", "diff", old.toString(), changed.toString()).exit())
                .isZero();
        assertThat(run("contract", "diff", old.toString(), changed.toString(), "--fail-on-breaking")
                        .exit())
                .isEqualTo(1);
        assertThat(run("contract", "diff", old.toString(), old.toString(), "--fail-on-breaking")
                        .exit())
                .isZero();
        assertThat(run("contract", "diff", old.toString()).err()).contains("give OLD and NEW contract files");
    }

    @Test
    void theTopologyRefusesToStartOnACatalogThatBreaksThePolicy(@TempDir Path dir) throws IOException {
        CatalogFixtures.copyShipped(Path.of("../schemas"), dir);
        Path contract = dir.resolve("domains/orders/orders.odcs.yaml");
        Files.writeString(
                contract,
                Files.readString(contract).replace("    value: 30\n    unit: d", "    value: 5\n    unit: y"));

        Run r = run("topology", "--describe", "--catalog", dir.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .contains("orders.odcs.yaml:")
                .contains("retention of 1825 days is outside the policy's 1..400 days");
    }

    @Test
    void shouldRefuseAMissingCatalogFolder(@TempDir Path dir) {
        Run r = run(
                "topology", "--describe", "--catalog", dir.resolve("nowhere").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("nowhere").contains("catalog folder does not exist");
    }
}
