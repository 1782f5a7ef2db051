package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.catalog.CatalogSource;
import io.backbone.kafka.ClientSettings;
import io.backbone.kafka.TopicScan;
import io.backbone.platform.LocalPlatform;
import io.backbone.product.PlatformTopics;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.Provisioner;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.topology.status.DeprecationNotices;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * On a real broker: the consumer groups still committing on a deprecated version (orders v1 of the topology tests'
 * catalog) get one alert when it is deprecated and one more in the week before its sunset; a group on the current
 * version gets none, and nothing is sent twice, also by a new instance that reads back what was sent.
 */
class DeprecationNoticesIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theGroupsStillReadingADeprecatedVersionAreToldOnceAndAgainBeforeTheSunset() throws Exception {
        ProductCatalog versioned = ProductCatalog.load(
                CatalogSource.directory(Path.of("../backbone-topology/src/test/resources/catalogs/versioned")));
        try (LocalPlatform platform = LocalPlatform.start(0)) {
            ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
            try (Admin admin = settings.admin()) {
                new Provisioner(admin, new RestSchemaRegistryClient(settings.clientConfig()), 1)
                        .provision(versioned.products());
            }
            commit(settings, "legacy-report", "shop.product.orders.v1");
            commit(settings, "new-report", "shop.product.orders.v2");

            assertThat(send(settings, versioned, "2026-12-01T08:00:00Z"))
                    .singleElement()
                    .satisfies(a -> {
                        assertThat(a.path("group").asText()).isEqualTo("legacy-report");
                        assertThat(a.path("state").asText()).isEqualTo("DEPRECATED");
                        assertThat(a.path("product").asText()).isEqualTo("shop-orders.v1");
                        assertThat(a.path("message").asText())
                                .contains("still reads shop.product.orders.v1")
                                .contains("no longer published after 2027-01-31: move to shop.product.orders.v2");
                    });
            assertThat(send(settings, versioned, "2026-12-02T08:00:00Z"))
                    .as("a new instance reads back what was sent")
                    .isEmpty();
            assertThat(send(settings, versioned, "2027-01-26T08:00:00Z"))
                    .singleElement()
                    .satisfies(a -> assertThat(a.path("state").asText()).isEqualTo("SUNSET_NEAR"));

            List<JsonNode> onTopic = new ArrayList<>();
            TopicScan.scan(settings.kafkaConfig(), PlatformTopics.ALERTS, -1, java.time.Duration.ofSeconds(30), r -> {
                try {
                    onTopic.add(JSON.readTree(r.value()));
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(onTopic)
                    .extracting(a ->
                            a.path("group").asText() + " " + a.path("state").asText())
                    .containsExactly("legacy-report DEPRECATED", "legacy-report SUNSET_NEAR");
        }
    }

    static List<ObjectNode> send(ClientSettings settings, ProductCatalog catalog, String now) throws Exception {
        try (Admin admin = settings.admin();
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        settings.kafkaConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
            return new DeprecationNotices(admin, producer, settings.kafkaConfig(), "it@test")
                    .send(catalog.products(), Instant.parse(now));
        }
    }

    static void commit(ClientSettings settings, String group, String topic) {
        Map<String, Object> config = new HashMap<>(settings.kafkaConfig());
        config.put("group.id", group);
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.commitSync(Map.of(tp, new OffsetAndMetadata(0)));
        }
    }
}
