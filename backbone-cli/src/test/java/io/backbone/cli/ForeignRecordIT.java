package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.kafka.ClientSettings;
import io.backbone.platform.TestPlatform;
import io.backbone.producer.simulation.Ledger;
import io.backbone.producer.simulation.ShopSimulator;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.Provisioner;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.topology.BackboneApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One record the backbone did not write, in a product topic that a join reads and that dedup restores from: every
 * product goes on publishing, a restart reaches RUNNING, and the record is reported.
 */
class ForeignRecordIT {
    static final String SECRET = "integration-test-secret-0123456789";

    @Test
    void aGarbageRecordInAProductTopicStopsNothingNotEvenARestart(@TempDir Path state) throws Exception {
        TestPlatform platform = TestPlatform.get();
        ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
        ProductCatalog catalog = ProductCatalog.shipped();
        try (Admin admin = settings.admin()) {
            new Provisioner(admin, new RestSchemaRegistryClient(settings.clientConfig()), 4)
                    .provision(catalog.products());
        }
        List<Ledger> ledgers = new ArrayList<>();
        try (BackboneApp app = Backbone.start(
                settings, catalog, "foreign-it", state.resolve("1").toString(), SECRET, Map.of())) {
            ledgers.add(produce(settings, 300, 1));
            ItSupport.awaitCommitted(settings, catalog, "foreign-it", Duration.ofMinutes(2));

            try (KafkaProducer<byte[], byte[]> foreign = new KafkaProducer<>(
                    Map.of("bootstrap.servers", platform.bootstrapServers()),
                    new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int p = 0; p < 4; p++) {
                    foreign.send(new ProducerRecord<>(
                                    "orders.product.orders.v1",
                                    p,
                                    "ord-x".getBytes(StandardCharsets.UTF_8),
                                    "garbage".getBytes(StandardCharsets.UTF_8)))
                            .get();
                }
            }
            ledgers.add(produce(settings, 300, 2));
            ItSupport.awaitCommitted(settings, catalog, "foreign-it", Duration.ofMinutes(2));

            assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(app.productTotals().get("paid-orders").get("foreign")).isEqualTo(4.0);
        }

        // a restart with empty local state restores every product's seen ids, past the garbage
        try (BackboneApp app = Backbone.start(
                settings, catalog, "foreign-it", state.resolve("2").toString(), SECRET, Map.of())) {
            ledgers.add(produce(settings, 300, 3));
            ItSupport.awaitCommitted(settings, catalog, "foreign-it", Duration.ofMinutes(2));
            assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(app.productTotals().get("orders").get("foreign")).isPositive();
        }

        for (DataProduct p : catalog.products()) {
            if (p.join() != null) {
                continue;
            }
            List<String> expected = ledgers.stream()
                    .flatMap(l -> l.expectedProductIds(p.rawTopic()).stream())
                    .toList();
            List<String> published = ItSupport.read(settings, p.productTopic()).stream()
                    .filter(r -> r.headers().lastHeader("ce_id") != null)
                    .map(r -> new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8))
                    .toList();
            assertThat(published).as(p.productTopic()).doesNotHaveDuplicates();
            assertThat(new HashSet<>(published)).as(p.productTopic()).isEqualTo(new HashSet<>(expected));
        }
    }

    static Ledger produce(ClientSettings settings, int events, long seed) {
        try (ShopSimulator simulator = new ShopSimulator(settings)) {
            return simulator.run(ShopSimulator.Plan.allDomains(events, 0.05, 0, seed), (sent, total) -> {});
        }
    }
}
