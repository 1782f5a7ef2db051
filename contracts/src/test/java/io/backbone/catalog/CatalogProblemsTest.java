package io.backbone.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbone.product.ProductCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken catalog file stops loading with the file, the line and the fix; all problems are reported at once. */
class CatalogProblemsTest {
    @TempDir
    Path dir;

    @BeforeEach
    void copyShippedCatalog() throws IOException {
        CatalogFixtures.copyShipped(Path.of("../schemas"), dir);
    }

    @Test
    void theCopiedCatalogLoads() {
        assertThat(ProductCatalog.load(CatalogSource.directory(dir)).products()).hasSize(7);
    }

    @Test
    void invalidYamlNamesItsLine() throws IOException {
        edit("domains/orders/orders.odcs.yaml", "domain: orders", "domain: [orders");

        assertThatThrownBy(() -> ProductCatalog.load(CatalogSource.directory(dir)))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("orders.odcs.yaml:")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void aJsonSchemaViolationNamesTheFieldAndLine() throws IOException {
        edit(
                "domains/payments/payments.odcs.yaml",
                "    physicalType: topic\n",
                "    physicalType: topic\n    colour: blue\n");

        CatalogException e = catch_(() -> ProductCatalog.load(CatalogSource.directory(dir)));

        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.file()).endsWith("payments.odcs.yaml");
            assertThat(p.line()).isEqualTo(16);
            assertThat(p.fix()).contains("customProperties");
            assertThat(p.message()).contains("ODCS v3.1.0 JSON Schema").contains("colour");
        });
    }

    @Test
    void aDescriptorNamingAnUnknownContractSaysWhichAndHowToFix() throws IOException {
        edit(
                "domains/orders/orders.odps.yaml",
                "contractId: orders.product.orders",
                "contractId: orders.product.ordres");

        CatalogException e = catch_(() -> ProductCatalog.load(CatalogSource.directory(dir)));

        assertThat(e.problems()).first().satisfies(p -> {
            assertThat(p.toString())
                    .contains("orders.odps.yaml:16: $.outputPorts[0].contractId")
                    .contains("contract 'orders.product.ordres' is not in the catalog")
                    .contains("fix: add domains/<domain>/<name>.odcs.yaml with id: orders.product.ordres");
        });
    }

    @Test
    void aMissingAvroSchemaAndABadTopicNameAreBothReported() throws IOException {
        edit(
                "domains/customers/customers.odcs.yaml",
                "avro/customers/CustomerEvent.avsc",
                "avro/customers/Customer.avsc");
        edit(
                "domains/payments/payments.odcs.yaml",
                "physicalName: payments.product.payments.v1",
                "physicalName: PaymentsTopic");

        CatalogException e = catch_(() -> ProductCatalog.load(CatalogSource.directory(dir)));

        assertThat(e.problems())
                .extracting(Problem::message)
                .anyMatch(m -> m.contains("refers to avro/customers/Customer.avsc, which does not exist"))
                .anyMatch(m -> m.contains("topic 'PaymentsTopic' breaks the naming rule"));
    }

    private void edit(String file, String from, String to) throws IOException {
        Path p = dir.resolve(file);
        String text = Files.readString(p);
        assertThat(text).contains(from);
        Files.writeString(p, text.replace(from, to));
    }

    private static CatalogException catch_(Runnable r) {
        try {
            r.run();
        } catch (CatalogException e) {
            return e;
        }
        throw new AssertionError("expected a CatalogException");
    }
}
