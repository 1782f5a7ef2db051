package io.backbone.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.backbone.dlq.DeadLetter;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.TestPlatform;
import io.backbone.producer.simulation.Ledger;
import io.backbone.producer.simulation.ShopSimulator;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.Provisioner;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.topology.BackboneApp;
import io.backbone.topology.internals.DeadLetterProcessingExceptionHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that refuses the backbone (401) or is not a registry (an HTML 404 from a proxy) while valid events flow:
 * nothing is dead-lettered, and once the fault is cleared every event is in its product exactly once.
 */
class RegistryMisconfigurationIT {

    @Test
    void aRefusingOrWrongRegistryDeadLettersNothingAndEveryEventArrivesOnceAfterTheFix(@TempDir Path state)
            throws Exception {
        TestPlatform platform = TestPlatform.get();
        ProductCatalog catalog = ProductCatalog.shipped();
        ClientSettings direct = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
        try (Admin admin = direct.admin()) {
            new Provisioner(admin, new RestSchemaRegistryClient(direct.clientConfig()), 4)
                    .provision(catalog.products());
        }
        Ledger ledger;
        try (ShopSimulator simulator = new ShopSimulator(direct)) {
            ledger = simulator.run(ShopSimulator.Plan.allDomains(600, 0, 0, 5), (sent, total) -> {});
        }

        WireMockServer proxy = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        proxy.start();
        try {
            // the backbone starts cold (no schema cached) against a registry that refuses its credentials
            proxy.stubFor(any(anyUrl())
                    .willReturn(aResponse()
                            .withStatus(401)
                            .withHeader("Content-Type", "application/json")
                            .withBody("{\"error_code\":40101,\"message\":\"Unauthorized\"}")));
            ClientSettings viaProxy = ClientSettings.of(platform.bootstrapServers(), proxy.baseUrl());
            try (BackboneApp app = Backbone.create(
                    viaProxy,
                    catalog,
                    "misconfigured-registry-it",
                    state.toString(),
                    "integration-test-secret-0123456789",
                    Map.of(DeadLetterProcessingExceptionHandler.MISCONFIGURED_PAUSE_MS_CONFIG, "500"))) {
                app.start();
                assertNothingWritten(direct, catalog, Duration.ofSeconds(12));

                // then a proxy's HTML page where the registry should be
                proxy.resetAll();
                proxy.stubFor(any(anyUrl())
                        .willReturn(aResponse()
                                .withStatus(404)
                                .withHeader("Content-Type", "text/html")
                                .withBody("<html><body><h1>404 Not Found</h1>nginx</body></html>")));
                assertNothingWritten(direct, catalog, Duration.ofSeconds(12));

                // fixed: the proxy passes requests to the real registry
                proxy.resetAll();
                proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(platform.schemaRegistryUrl())));
                ItSupport.awaitCommitted(direct, catalog, "misconfigured-registry-it", Duration.ofMinutes(3));
            }
            for (DataProduct p : catalog.products()) {
                assertThat(ItSupport.read(direct, p.dlqTopic()))
                        .as(p.dlqTopic())
                        .isEmpty();
                if (p.join() == null) {
                    List<String> ids = ItSupport.read(direct, p.productTopic()).stream()
                            .map(ConsumerRecord::headers)
                            .map(h -> DeadLetter.text(h, "ce_id"))
                            .toList();
                    assertThat(ids).as(p.productTopic()).doesNotHaveDuplicates();
                    assertThat(new HashSet<>(ids))
                            .as(p.productTopic())
                            .isEqualTo(new HashSet<>(ledger.expectedProductIds(p.rawTopic())));
                }
            }
        } finally {
            proxy.stop();
        }
    }

    /** For {@code period}: no product and no DLQ record written, while the backbone keeps trying. */
    static void assertNothingWritten(ClientSettings settings, ProductCatalog catalog, Duration period) {
        await().during(period)
                .atMost(period.plusSeconds(30))
                .pollInterval(Duration.ofSeconds(3))
                .until(() -> catalog.products().stream()
                        .allMatch(p -> ItSupport.read(settings, p.dlqTopic()).isEmpty()
                                && ItSupport.read(settings, p.productTopic()).isEmpty()));
    }
}
