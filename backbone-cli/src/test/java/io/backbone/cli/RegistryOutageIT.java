package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbone.kafka.ClientSettings;
import io.backbone.platform.TestPlatform;
import io.backbone.platform.registry.EmbeddedSchemaRegistry;
import io.backbone.producer.simulation.Ledger;
import io.backbone.producer.simulation.ShopSimulator;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.Provisioner;
import io.backbone.registry.RegistryClientConfig;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.topology.BackboneApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry outage delays records; it never turns valid data into dead letters. */
class RegistryOutageIT {

    @Test
    void shouldRetryThroughARegistryOutageAndDeadLetterNothing(@TempDir Path state) throws Exception {
        String bootstrap = TestPlatform.get().bootstrapServers();
        Map<String, Object> store = Map.of("bootstrap.servers", bootstrap);
        ProductCatalog catalog = ProductCatalog.shipped();
        ClientSettings settings;
        Ledger ledger;
        EmbeddedSchemaRegistry registry =
                EmbeddedSchemaRegistry.builder().kafka(store, "_schemas_outage").start();
        // the registry comes back on the port it first bound (picked free by the server itself, no race)
        int port = java.net.URI.create(registry.url()).getPort();
        try {
            settings = ClientSettings.of(bootstrap, registry.url());
            try (Admin admin = settings.admin()) {
                new Provisioner(admin, new RestSchemaRegistryClient(settings.clientConfig()), 4)
                        .provision(catalog.products());
            }
            try (ShopSimulator simulator = new ShopSimulator(settings)) {
                ledger = simulator.run(ShopSimulator.Plan.allDomains(600, 0, 0, 3), (sent, total) -> {});
            }
        } finally {
            registry.close();
        }

        // the backbone starts cold (no cached schemas) while the registry is down; its client keeps retrying
        // (here for up to ~50 s), so the task waits instead of dead-lettering or failing
        try (BackboneApp app = Backbone.create(
                settings,
                catalog,
                "outage-it",
                state.toString(),
                "integration-test-secret-0123456789",
                Map.of(
                        RegistryClientConfig.MAX_RETRIES,
                        "100",
                        RegistryClientConfig.RETRY_BACKOFF_MS,
                        "100",
                        RegistryClientConfig.RETRY_BACKOFF_MAX_MS,
                        "500"))) {
            app.start();
            await().during(Duration.ofSeconds(4))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> catalog.products().stream()
                            .allMatch(
                                    p -> ItSupport.read(settings, p.dlqTopic()).isEmpty()
                                            && ItSupport.read(settings, p.productTopic())
                                                    .isEmpty()));
            assertThat(app.streams().state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
            assertThat(app.streams().metadataForLocalThreads())
                    .as("no stream thread died")
                    .hasSize(1);

            try (EmbeddedSchemaRegistry back = EmbeddedSchemaRegistry.builder()
                    .kafka(store, "_schemas_outage")
                    .port(port)
                    .start()) {
                ItSupport.awaitCommitted(settings, catalog, "outage-it", Duration.ofMinutes(2));
                for (DataProduct p : catalog.products()) {
                    assertThat(ItSupport.read(settings, p.dlqTopic()))
                            .as(p.dlqTopic())
                            .isEmpty();
                    if (p.join() == null) {
                        // a join product is recounted from its inputs elsewhere; here it must only dead-letter nothing
                        assertThat(ItSupport.read(settings, p.productTopic()))
                                .as(p.productTopic())
                                .hasSize(ledger.expectedProductIds(p.rawTopic()).size());
                    }
                }
            }
        }
    }
}
