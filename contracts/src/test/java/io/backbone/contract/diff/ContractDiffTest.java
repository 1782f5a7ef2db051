package io.backbone.contract.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import io.backbone.contract.ContractParser;
import io.backbone.contract.DataContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each kind of change between two versions of the orders product contract, classified as a reviewer would. */
class ContractDiffTest {
    static final Path CONTRACT = Path.of("../schemas/src/main/resources/catalog/domains/orders/orders.odcs.yaml");
    static final Path AVSC = Path.of("../schemas/src/main/resources/catalog/avro/orders/OrderEvent.avsc");

    final String contract;
    final String avsc;

    ContractDiffTest() throws IOException {
        contract = Files.readString(CONTRACT);
        avsc = Files.readString(AVSC);
    }

    static DataContract parse(String yaml) {
        List<Problem> problems = new ArrayList<>();
        DataContract c = ContractParser.parse(YamlDocument.parse("orders.odcs.yaml", yaml), problems);
        assertThat(problems).isEmpty();
        return c;
    }

    ContractDiff.Result diff(String newContract, String newAvsc) {
        return ContractDiff.diff(
                parse(contract),
                new Schema.Parser().parse(avsc),
                parse(newContract),
                new Schema.Parser().parse(newAvsc));
    }

    static String replace(String text, String from, String to) {
        assertThat(text).contains(from);
        return text.replace(from, to);
    }

    /** One row per reviewer case: what changes in the contract or schema, and the expected verdict. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            add optional field       | FIELD_ADDED            | false | MINOR
            remove field             | FIELD_REMOVED          | true  | MAJOR
            rename field             | FIELD_RENAMED          | true  | MAJOR
            widen int to long        | TYPE_CHANGED           | false | MINOR
            new required field       | FIELD_ADDED            | true  | MAJOR
            tighten range            | RULE_TIGHTENED         | false | MINOR
            loosen range             | RULE_LOOSENED          | true  | MAJOR
            new CEL rule             | RULE_ADDED             | false | MINOR
            drop rule                | RULE_DROPPED           | true  | MAJOR
            weaken SLA               | SLA_WEAKENED           | true  | MAJOR
            change classification    | CLASSIFICATION_CHANGED | true  | MAJOR
            weaken compatibility     | COMPATIBILITY_CHANGED  | true  | MAJOR
            strengthen compatibility | COMPATIBILITY_CHANGED  | false | MINOR
            """)
    void classifiesEachChangeAsAReviewerWould(
            String change, Change.Kind kind, boolean breaking, ContractDiff.Bump bump) {
        String c = contract;
        String a = avsc;
        switch (change) {
            case "add optional field" ->
                a = replace(
                        a,
                        "{\"name\": \"cancellationReason\"",
                        "{\"name\": \"channel\", \"type\": [\"null\", \"string\"], \"default\": null},\n    {\"name\": \"cancellationReason\"");
            case "remove field" ->
                a = replace(
                                a,
                                "    {\"name\": \"cancellationReason\", \"type\": [\"null\", \"string\"], \"default\": null}\n",
                                "")
                        .replace("\"doc\": \"ISO-4217 code.\"},", "\"doc\": \"ISO-4217 code.\"}");
            case "rename field" -> a = replace(a, "\"name\": \"cancellationReason\"", "\"name\": \"cancelReason\"");
            case "widen int to long" ->
                a = replace(
                        a,
                        "{\"name\": \"quantity\", \"type\": \"int\"}",
                        "{\"name\": \"quantity\", \"type\": \"long\"}");
            case "new required field" ->
                a = replace(
                        a,
                        "{\"name\": \"cancellationReason\"",
                        "{\"name\": \"channel\", \"type\": \"string\"},\n    {\"name\": \"cancellationReason\"");
            case "tighten range" ->
                c = replace(
                        c,
                        "      - name: totalAmountMinor\n        logicalType: integer\n        logicalTypeOptions:\n          format: i64\n",
                        "      - name: totalAmountMinor\n        logicalType: integer\n        logicalTypeOptions:\n          format: i64\n"
                                + "          minimum: 1\n");
            case "loosen range" ->
                c = replace(
                        c,
                        "      - name: eventId\n        logicalType: string\n        required: true\n",
                        "      - name: eventId\n        logicalType: string\n        required: false\n");
            case "new CEL rule" ->
                c = replace(
                        c,
                        "\n    quality:\n",
                        "\n    quality:\n      - name: at-most-ten-lines\n        type: custom\n"
                                + "        engine: cel\n        implementation: \"record.lines.size() <= 10\"\n");
            case "drop rule" ->
                c = replace(
                                c,
                                "        implementation: \"record.eventType != 'ORDER_PLACED' || record.lines.size() > 0\"\n",
                                "        implementation: \"true\"\n")
                        .replace("      - name: placed-order-has-lines\n", "      - name: placed-order-any\n");
            case "weaken SLA" -> c = replace(c, "    value: 30\n    unit: d", "    value: 7\n    unit: d");
            case "change classification" ->
                c = replace(
                        c,
                        "      - name: customerId\n        logicalType: string\n        required: false\n",
                        "      - name: customerId\n        logicalType: string\n        required: false\n        classification: restricted\n"
                                + "        customProperties:\n"
                                + "          - property: pii\n            value: true\n          - property: masking\n            value: hash\n");
            case "weaken compatibility" -> c = replace(c, "    value: BACKWARD\n", "    value: NONE\n");
            case "strengthen compatibility" -> c = replace(c, "    value: BACKWARD\n", "    value: FULL_TRANSITIVE\n");
            default -> throw new IllegalArgumentException(change);
        }

        ContractDiff.Result result = diff(c, a);

        assertThat(result.changes()).as(change).anySatisfy(ch -> {
            assertThat(ch.kind()).isEqualTo(kind);
            assertThat(ch.breaking()).isEqualTo(breaking);
        });
        assertThat(result.bump()).as(change + ": " + result.changes()).isEqualTo(bump);
        assertThat(result.nextTopic()).isEqualTo(bump == ContractDiff.Bump.MAJOR ? "orders.product.orders.v2" : null);
    }

    @Test
    void theSameContractHasNoChanges() {
        assertThat(diff(contract, avsc).changes()).isEmpty();
        assertThat(diff(contract, avsc).bump()).isEqualTo(ContractDiff.Bump.NONE);
    }

    @Test
    void aRuleRenamedWithTheSameImplementationIsNotBreaking() {
        ContractDiff.Result result = diff(
                replace(contract, "      - name: placed-order-has-lines\n", "      - name: placed-order-has-a-line\n"),
                avsc);

        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Change.Kind.RULE_CHANGED);
            assertThat(c.breaking()).isFalse();
            assertThat(c.description()).startsWith("renamed to 'placed-order-has-a-line'");
        });
        assertThat(result.bump()).isEqualTo(ContractDiff.Bump.MINOR);
    }

    @Test
    void aFieldRenamedWithAnAliasIsNotARename() {
        String a = replace(
                avsc,
                "{\"name\": \"cancellationReason\", \"type\": [\"null\", \"string\"], \"default\": null}",
                "{\"name\": \"cancelReason\", \"aliases\": [\"cancellationReason\"], \"type\": [\"null\", \"string\"], \"default\": null}");

        assertThat(diff(contract, a).changes()).isEmpty();
    }

    @Test
    void narrowingATypeIsBreakingUnderBackward() {
        String a = replace(
                avsc,
                "{\"name\": \"totalAmountMinor\", \"type\": \"long\"",
                "{\"name\": \"totalAmountMinor\", \"type\": \"int\"");

        Change change = diff(contract, a).changes().get(0);

        assertThat(change.kind()).isEqualTo(Change.Kind.TYPE_CHANGED);
        assertThat(change.breaking()).isTrue();
        assertThat(change.description())
                .contains("long → int")
                .contains("narrowing")
                .contains("incompatible under BACKWARD");
    }
}
