package io.backbone.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.catalog.CatalogFixtures;
import io.backbone.catalog.CatalogSource;
import io.backbone.catalog.Problem;
import io.backbone.governance.GovernancePolicy;
import io.backbone.governance.Linter;
import io.backbone.product.ProductCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access derived from the catalog: the least that works, and lint for what cannot be right. */
class AccessModelTest {
    @TempDir
    Path dir;

    @BeforeEach
    void copyShippedCatalog() throws IOException {
        CatalogFixtures.copyShipped(Path.of("../schemas"), dir);
    }

    void edit(String file, String from, String to) throws IOException {
        Path p = dir.resolve(file);
        String text = Files.readString(p);
        assertThat(text).as(file).contains(from);
        Files.writeString(p, text.replace(from, to));
    }

    List<String> lint() {
        return Linter.lint(CatalogSource.directory(dir), GovernancePolicy.shipped()).stream()
                .filter(p -> p.policy().equals("access"))
                .map(Problem::lintLine)
                .toList();
    }

    @Test
    void theShippedCatalogGrantsTheLeastThatWorks() {
        ProductCatalog catalog = ProductCatalog.shipped();
        AccessModel access = AccessModel.load(CatalogSource.classpath());

        assertThat(access.check(catalog)).isEmpty();
        List<String> grants = access.grants(catalog, "backbone").stream()
                .map(AccessModel.Grant::key)
                .toList();
        assertThat(grants)
                .contains("User:orders-service TOPIC:LITERAL:orders.raw.order-events WRITE")
                .contains("User:orders-service TOPIC:LITERAL:orders.dlq.order-events READ")
                .contains("User:backbone TOPIC:LITERAL:orders.product.orders.v1 WRITE")
                .contains("User:backbone TRANSACTIONAL_ID:PREFIXED:backbone- WRITE")
                .contains("User:marketing TOPIC:LITERAL:customers.product.customers.v1 READ")
                .contains("User:fulfilment GROUP:PREFIXED:fulfilment. READ")
                .contains("User:backbone GROUP:LITERAL:backbone READ")
                .doesNotContain("User:orders-service TOPIC:LITERAL:payments.raw.payment-events WRITE")
                .doesNotContain("User:marketing TOPIC:LITERAL:orders.product.orders.v1 READ")
                .doesNotContain("User:fulfilment GROUP:PREFIXED:fulfilment READ")
                .doesNotContain("User:backbone GROUP:PREFIXED:backbone READ");
        // every group prefix ends with the delimiter no principal name can hold
        assertThat(grants.stream().filter(g -> g.contains(" GROUP:PREFIXED:")))
                .isNotEmpty()
                .allMatch(g -> g.split(" ")[1].endsWith(AccessModel.GROUP_DELIMITER));
        // products are written by the backbone only; raw topics and DLQs are read by their own domain only
        assertThat(grants.stream().filter(g -> g.contains(".product.") && g.endsWith(" WRITE")))
                .allMatch(g -> g.startsWith("User:backbone "));
        assertThat(grants.stream().filter(g -> (g.contains(".raw.") || g.contains(".dlq.")) && g.endsWith(" READ")))
                .allMatch(g -> g.startsWith("User:backbone ")
                        || g.split(":")[3].split("\\.")[0].equals(access.principals()
                                .get(g.split(" ")[0].substring("User:".length()))
                                .domain()));
        // ... and of that domain by its producers and captures only
        assertThat(grants.stream().filter(g -> (g.contains(".raw.") || g.contains(".dlq.")) && g.endsWith(" READ")))
                .allMatch(g -> access.principals()
                                .get(g.split(" ")[0].substring("User:".length()))
                                .kind()
                        != PrincipalKind.CONSUMER);
    }

    @Test
    void aConsumerThatNamesADomainGetsNoRawTopicOrDeadLetterAndLintSaysSo() throws IOException {
        edit(
                "governance/principals.yaml",
                "  - name: fulfilment\n    kind: consumer\n",
                "  - name: fulfilment\n    kind: consumer\n    domain: orders\n");
        CatalogSource source = CatalogSource.directory(dir);
        AccessModel access = AccessModel.load(source);
        List<String> grants = access.grants(ProductCatalog.load(source), "backbone").stream()
                .map(AccessModel.Grant::key)
                .toList();

        assertThat(grants)
                .contains("User:fulfilment TOPIC:LITERAL:orders.product.orders.v1 READ")
                .doesNotContain("User:fulfilment TOPIC:LITERAL:orders.raw.order-events READ")
                .doesNotContain("User:fulfilment TOPIC:LITERAL:orders.dlq.order-events READ");
        assertThat(lint())
                .anySatisfy(l -> assertThat(l)
                        .contains("principals.yaml")
                        .contains("consumer 'fulfilment' names domain orders")
                        .contains("remove its domain"));
    }

    @Test
    void aRecordKeyTakenFromPiiIsALintErrorWhereTheProductReachesBeyondTheDomain() throws IOException {
        edit(
                "domains/customers/customer-events.odcs.yaml",
                "      - name: email\n        logicalType: string\n        required: false\n",
                "      - name: email\n        logicalType: string\n        required: false\n        primaryKey: true\n");

        assertThat(Linter.lint(CatalogSource.directory(dir), GovernancePolicy.shipped()).stream()
                        .filter(p -> p.policy().equals("pii-masking"))
                        .map(Problem::lintLine))
                .anySatisfy(l -> assertThat(l)
                        .contains("the record key of customers.raw.customer-events is PII property 'email'")
                        .contains("keys are not masked")
                        .contains("key the stream by an id that is not personal data"));
    }

    @Test
    void aProductThatBindsAnotherDomainsTopicIsALintError() throws IOException {
        Path contract = dir.resolve("domains/orders/order-events.odcs.yaml");
        assertThat(contract).exists();
        edit(
                "domains/orders/order-events.odcs.yaml",
                "physicalName: orders.raw.order-events",
                "physicalName: payments.raw.order-events");

        assertThat(lint())
                .anySatisfy(l -> assertThat(l)
                        .contains(
                                "product orders of domain orders binds payments.raw.order-events, a topic of another domain")
                        .contains("bind only topics named orders.raw|product|dlq.<name>"));
    }

    @Test
    void anUnknownReaderARawTopicReaderAndAProductWithoutReadersAreLintErrors() throws IOException {
        edit(
                "domains/orders/orders.odps.yaml",
                "value: [finance-reporting, fulfilment, sales-analytics]",
                "value: [finanse-reporting]");
        edit(
                "domains/payments/payment-events.odcs.yaml",
                "\nslaProperties:",
                "\nroles:\n  - role: fulfilment\n    access: read\nslaProperties:");
        edit("domains/customers/customers.odps.yaml", "    value: [fulfilment]\n", "    value: []\n");
        edit(
                "domains/customers/customers.odcs.yaml",
                "  - role: marketing\n    access: read\n",
                "  - role: marketing\n    access: write\n");

        assertThat(lint())
                .anySatisfy(l -> assertThat(l)
                        .contains("orders.odps.yaml")
                        .contains("reader 'finanse-reporting' of orders is not a declared principal")
                        .contains("declare it in governance/principals.yaml"))
                .anySatisfy(l -> assertThat(l)
                        .contains("payment-events.odcs.yaml")
                        .contains("'fulfilment' may not read raw topic payments.raw.payment-events")
                        .contains("grant it the product payments.product.payments.v1 instead"))
                .anySatisfy(l -> assertThat(l).contains("product customers has no reader"));
    }
}
