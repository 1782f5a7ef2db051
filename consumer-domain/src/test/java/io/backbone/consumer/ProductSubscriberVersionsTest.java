package io.backbone.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbone.catalog.CatalogSource;
import io.backbone.customers.v1.CustomerEvent;
import io.backbone.product.ProductCatalog;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Subscribing by product name and major (the topology tests' {@code catalogs/versioned}: orders v2 active, v1
 * deprecated): the deprecated major says so once, with its sunset and successor; an unknown major names the live ones.
 * No broker is contacted: a consumer connects on its first poll.
 */
class ProductSubscriberVersionsTest {
    static final ProductCatalog VERSIONED = ProductCatalog.load(
            CatalogSource.directory(Path.of("../backbone-topology/src/test/resources/catalogs/versioned")));
    static final Map<String, Object> CLIENT =
            Map.of("bootstrap.servers", "127.0.0.1:1", "schema.registry.url", "http://127.0.0.1:1");

    @Test
    void aDeprecatedMajorIsSubscribedWithOneWarningNamingSunsetAndSuccessor() {
        try (ProductSubscriber<CustomerEvent> v1 =
                ProductSubscriber.of(CLIENT, VERSIONED, "shop-orders", 1, CustomerEvent.class, "legacy-report")) {
            assertThat(v1.topic()).isEqualTo("shop.product.orders.v1");
            assertThat(v1.deprecation())
                    .contains("deprecated since 2026-11-01")
                    .contains("sunset 2027-01-31")
                    .contains("move group legacy-report to its successor shop.product.orders.v2");
        }
        try (ProductSubscriber<CustomerEvent> v2 =
                ProductSubscriber.of(CLIENT, VERSIONED, "shop-orders", 2, CustomerEvent.class, "new-report")) {
            assertThat(v2.topic()).isEqualTo("shop.product.orders.v2");
            assertThat(v2.deprecation()).isNull();
        }
    }

    @Test
    void anUnknownMajorNamesTheLiveVersions() {
        assertThatThrownBy(() -> ProductSubscriber.version(VERSIONED, "shop-orders", 3))
                .hasMessageContaining("product 'shop-orders' has no live major 3")
                .hasMessageContaining("[shop.product.orders.v2, shop.product.orders.v1]");
        assertThatThrownBy(() -> ProductSubscriber.version(VERSIONED, "ordrs", 1))
                .hasMessageContaining("known products: [shop-orders, shop-orders.v1]");
    }
}
