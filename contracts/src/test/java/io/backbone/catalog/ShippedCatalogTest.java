package io.backbone.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.contract.MaskingPolicy;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ShippedCatalogTest {
    private static final Path DOMAINS = Path.of("../schemas/src/main/resources/catalog/domains");

    static Stream<Path> shippedFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(DOMAINS)) {
            return walk.filter(p -> p.toString().endsWith(".yaml")).toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("shippedFiles")
    void everyShippedFileValidatesAgainstTheOfficialJsonSchema(Path file) throws IOException {
        YamlDocument doc = YamlDocument.parse(file.toString(), Files.readString(file));
        StandardSchemas.Standard standard =
                file.toString().endsWith(".odcs.yaml") ? StandardSchemas.Standard.ODCS : StandardSchemas.Standard.ODPS;

        assertThat(StandardSchemas.validate(doc, standard)).isEmpty();
    }

    @Test
    void shippedCatalogBindsThreeDomainProductsAndOneJoinToTheirTopics() {
        ProductCatalog catalog = ProductCatalog.shipped();
        DataProduct paid = catalog.product("paid-orders");

        assertThat(paid.join().left().topic()).isEqualTo("orders.product.orders.v1");
        assertThat(paid.join().right().topic()).isEqualTo("payments.product.payments.v1");
        assertThat(paid.join().window()).hasHours(1);
        assertThat(paid.join().mappings()).hasSize(13);
        assertThat(paid.productTopic()).isEqualTo("sales.product.paid-orders.v1");
        assertThat(paid.dlqTopic()).isEqualTo("sales.dlq.paid-orders");
        assertThat(catalog.products().stream().filter(p -> p.join() == null))
                .extracting(DataProduct::id, DataProduct::rawTopic, DataProduct::productTopic, DataProduct::dlqTopic)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "orders.v2",
                                "orders.raw.order-events",
                                "orders.product.orders.v2",
                                "orders.dlq.order-events"),
                        org.assertj.core.groups.Tuple.tuple(
                                "customers",
                                "customers.raw.customer-events",
                                "customers.product.customers.v1",
                                "customers.dlq.customer-events"),
                        org.assertj.core.groups.Tuple.tuple(
                                "inventory",
                                "inventory.raw.stock-changes",
                                "inventory.product.stock-changes.v1",
                                "inventory.dlq.stock-changes"),
                        org.assertj.core.groups.Tuple.tuple(
                                "inventory.stock",
                                "inventory.raw.stock-changes",
                                "inventory.product.stock.v1",
                                "inventory.dlq.stock-changes"),
                        org.assertj.core.groups.Tuple.tuple(
                                "orders",
                                "orders.raw.order-events",
                                "orders.product.orders.v1",
                                "orders.dlq.order-events"),
                        org.assertj.core.groups.Tuple.tuple(
                                "payments",
                                "payments.raw.payment-events",
                                "payments.product.payments.v1",
                                "payments.dlq.payment-events"));
    }

    @Test
    void customersProductMasksEveryPiiFieldAndTheRawContractMasksNone() {
        ProductCatalog catalog = ProductCatalog.shipped();
        DataProduct customers = catalog.product("customers");

        assertThat(customers.input().masks()).isEmpty();
        assertThat(customers.output().masks())
                .extracting(m -> m.field().path() + "=" + m.policy().code())
                .containsExactlyInAnyOrder(
                        "email=hash",
                        "fullName=hash",
                        "phone=drop",
                        "address.street=redact",
                        "address.postalCode=hash");
        assertThat(customers.output().masks()).noneMatch(m -> m.policy() == MaskingPolicy.KEEP);
    }

    @Test
    void everyProductDeduplicatesOnItsEventOrChangeId() {
        List<DataProduct> products = ProductCatalog.shipped().products();

        assertThat(products)
                .allSatisfy(p -> assertThat(p.dedupField().path())
                        .isEqualTo(p.domain().equals("inventory") ? "changeId" : "eventId"));
    }
}
