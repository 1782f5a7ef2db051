package io.backbone.product;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.catalog.CatalogSource;
import io.backbone.catalog.Problem;
import io.backbone.contract.rules.CelEnvironment;
import io.backbone.governance.GovernancePolicy;
import io.backbone.governance.Linter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An older major's mapping from the current raw schema, type-checked when the catalog loads: a field with no source,
 * a source of the wrong type or one that reads a field the raw record lacks is a lint error naming file, field and fix.
 * The catalog is the topology tests' {@code catalogs/versioned} (orders v2 from the raw stream, v1 mapped).
 */
class VersionMappingTest {
    static final Path VERSIONED = Path.of("../backbone-topology/src/test/resources/catalogs/versioned");
    static final String V1 = "domains/shop/orders-v1.odcs.yaml";

    @TempDir
    Path dir;

    @BeforeEach
    void copy() throws IOException {
        try (Stream<Path> files = Files.walk(VERSIONED)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = dir.resolve(VERSIONED.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
    }

    void edit(String from, String to) throws IOException {
        Path p = dir.resolve(V1);
        String text = Files.readString(p);
        assertThat(text).contains(from);
        Files.writeString(p, text.replace(from, to));
    }

    List<String> mappingProblems() {
        return Linter.lint(CatalogSource.directory(dir), GovernancePolicy.shipped()).stream()
                .filter(p -> p.policy().equals("mapping"))
                .map(Problem::lintLine)
                .map(l -> l.substring(dir.toString().length() + 1))
                .toList();
    }

    List<String> piiProblems() {
        return Linter.lint(CatalogSource.directory(dir), GovernancePolicy.shipped()).stream()
                .filter(p -> p.policy().equals("pii-masking"))
                .map(Problem::lintLine)
                .toList();
    }

    @Test
    void aSourceThatReadsPiiIsFoundFromTheSyntaxTreeHoweverItIsWritten() throws IOException {
        assertThat(piiProblems()).isEmpty();
        // an index instead of a field select: no text 'record.customerEmail' anywhere
        edit("value: \"has(record.channel) ? record.channel : 'web'\"", "value: \"record['customerEmail']\"");
        assertThat(piiProblems())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .contains("field 'source' of shop.product.orders.v1 is mapped from PII property"
                                + " 'customerEmail'")
                        .contains("reads customerEmail")
                        .contains("list 'source' in"));
    }

    @Test
    void whatAnExpressionReadsComesFromItsSyntaxTree() {
        org.apache.avro.Schema schema = new org.apache.avro.Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"C\",\"fields\":["
                        + "{\"name\":\"email\",\"type\":\"string\"},"
                        + "{\"name\":\"address\",\"type\":{\"type\":\"record\",\"name\":\"A\",\"fields\":["
                        + "{\"name\":\"street\",\"type\":\"string\"}]}},"
                        + "{\"name\":\"lines\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\","
                        + "\"name\":\"L\",\"fields\":[{\"name\":\"sku\",\"type\":\"string\"}]}}}]}");
        assertThat(CelEnvironment.reads("record.address", schema)).containsExactly("address");
        assertThat(CelEnvironment.reads("record['email'].lowerAscii()", schema)).containsExactly("email");
        assertThat(CelEnvironment.reads("record.address['street'] + record.email", schema))
                .containsExactlyInAnyOrder("address.street", "email");
        assertThat(CelEnvironment.reads("record.lines.map(l, l.sku)", schema)).containsExactly("lines[].sku");
        assertThat(CelEnvironment.reads("record.size() > 0", schema)).containsExactly("");
        assertThat(CelEnvironment.reads("'constant'", schema)).isEmpty();
    }

    @Test
    void theShippedMappingCompiles() {
        assertThat(mappingProblems()).isEmpty();
        assertThat(ProductCatalog.load(CatalogSource.directory(dir))
                        .product("shop-orders.v1")
                        .isMapped())
                .isTrue();
    }

    @Test
    void aFieldWithNoSourceNamesTheFieldAndTheFix() throws IOException {
        edit(
                "          - property: source\n            value: record.total.amountMinor\n",
                "          - property: pii\n            value: false\n");
        assertThat(mappingProblems())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .startsWith(V1 + ":")
                        .contains("field 'amountMinor' of io.backbone.test.shop.v1.Order has no source and"
                                + " io.backbone.test.shop.v2.OrderEvent has no field of that name")
                        .contains("fix: add customProperties: [{property: source, value: <CEL over record, e.g."
                                + " record.amountMinor>}] to 'amountMinor', or give the Avro field a default"));
    }

    @Test
    void aFieldOfTheWrongTypeNamesBothTypes() throws IOException {
        edit("value: record.total.currency", "value: record.total.amountMinor");
        assertThat(mappingProblems())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .contains("source of 'currency' (record.total.amountMinor) is long, the field is string")
                        .contains("fix: map a field of that type, or convert it in CEL"));
    }

    @Test
    void anExpressionOfTheWrongTypeIsCaughtAtLoadTime() throws IOException {
        edit("value: record.total.currency", "value: \"record.total.amountMinor * 2\"");
        assertThat(mappingProblems())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .contains("source of 'currency' (record.total.amountMinor * 2) yields int, the field is string")
                        .contains("fix: convert it in CEL (string(), int(), double())"));
    }

    @Test
    void aNullableSourceForARequiredFieldSaysHowToGiveADefault() throws IOException {
        edit("value: \"has(record.channel) ? record.channel : 'web'\"", "value: record.channel");
        assertThat(mappingProblems())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .contains("source of 'source' (record.channel) is nullable string, the field is string")
                        .contains("fix: it may be null: write has(...) ? record.channel : <default>"));
    }

    @Test
    void aSourceReadingAFieldTheRawRecordLacks() throws IOException {
        edit("value: record.total.currency", "value: record.total.curency");
        assertThat(mappingProblems())
                .singleElement()
                .satisfies(l -> assertThat(l).contains("source of 'currency' reads record.total.curency"));
    }

    /** The shipped orders major 2 builds its total record field by field from the raw order's fields. */
    @Test
    void aNestedRecordIsBuiltFromItsFieldsSourcesAndANestedSourceOfTheWrongTypeIsNamed(@TempDir Path shipped)
            throws IOException {
        io.backbone.catalog.CatalogFixtures.copyShipped(Path.of("../schemas"), shipped);
        ProductCatalog catalog = ProductCatalog.load(CatalogSource.directory(shipped));
        assertThat(catalog.product("orders.v2").mapping().expressions())
                .containsEntry("total.amountMinor", "record.totalAmountMinor")
                .containsEntry("total.currency", "record.currency")
                .containsEntry("eventId", "record.eventId")
                .doesNotContainKey("cancellationReason");

        Path v2 = shipped.resolve("domains/orders/orders-v2.odcs.yaml");
        Files.writeString(
                v2, Files.readString(v2).replace("value: record.totalAmountMinor", "value: record.customerId"));
        List<String> problems = Linter.lint(CatalogSource.directory(shipped), GovernancePolicy.shipped()).stream()
                .filter(p -> p.policy().equals("mapping"))
                .map(Problem::lintLine)
                .toList();
        assertThat(problems)
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .contains("orders-v2.odcs.yaml:")
                        .contains("source of 'amountMinor' (record.customerId) is")
                        .contains("the field is long"));
    }
}
