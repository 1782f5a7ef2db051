package io.backbone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.catalog.CatalogSource;
import io.backbone.product.ProductCatalog;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedCatalogsTest {

    @Test
    void kProductsEachOnTheirOwnRawStream(@TempDir Path dir) throws Exception {
        ProductCatalog catalog =
                ProductCatalog.load(CatalogSource.directory(GeneratedCatalogs.products(dir, "p10", 10)));

        assertThat(catalog.products()).hasSize(10);
        assertThat(catalog.products()).extracting(p -> p.rawTopic()).contains("p10d0.raw.orders", "p10d9.raw.orders");
        assertThat(catalog.product("p10d3").output().rules())
                .hasSameSizeAs(catalog.product("p10d0").output().rules());
    }

    @Test
    void aContractWithExactlyRRules(@TempDir Path dir) throws Exception {
        for (int rules : new int[] {1, 10, 30}) {
            Path d = dir.resolve("r" + rules);
            ProductCatalog catalog =
                    ProductCatalog.load(CatalogSource.directory(GeneratedCatalogs.rules(d, "r" + rules, rules)));
            assertThat(catalog.product("r" + rules + "d0").output().rules())
                    .as(rules + " rules")
                    .hasSize(rules);
        }
    }
}
