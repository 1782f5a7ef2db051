package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbone.kafka.ClientSettings;
import io.backbone.platform.LocalPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker: {@code backbone retire} refuses to delete a retired major's topic while a consumer group read from
 * it within the policy's quiet period (naming that group, not one that stopped reading weeks ago), and deletes it
 * once that group has gone.
 */
class RetireIT {
    static final String V1 = "shop.product.orders.v1";

    static CommandLineBehaviourTest.Run run(String... args) {
        return CommandLineBehaviourTest.run(args);
    }

    /** The topology tests' versioned catalog with major 1 retired after its sunset. */
    static Path retiredCatalog(Path dir) throws IOException {
        Path from = Path.of("../backbone-topology/src/test/resources/catalogs/versioned");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = dir.resolve(from.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        Path v1 = dir.resolve("domains/shop/orders-v1.odcs.yaml");
        String text = Files.readString(v1).replace("status: deprecated", "status: retired");
        text = text.substring(0, text.indexOf("  - property: deprecatedOn"));
        Files.writeString(v1, text);
        return dir;
    }

    @Test
    void retiringIsRefusedWhileAGroupReadRecentlyNamingItAndWorksOnceItHasGone(@TempDir Path dir) throws Exception {
        Path catalog = retiredCatalog(dir);
        try (LocalPlatform platform = LocalPlatform.start(0)) {
            ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
            TopicPartition tp = new TopicPartition(V1, 0);
            io.backbone.registry.RestSchemaRegistryClient registry =
                    new io.backbone.registry.RestSchemaRegistryClient(settings.clientConfig());
            org.apache.avro.Schema schema = new org.apache.avro.Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
            int schemaId = registry.register(V1 + "-value", schema);
            try (Admin admin = settings.admin();
                    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                            settings.kafkaConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
                admin.createTopics(List.of(new NewTopic(V1, 1, (short) 1)))
                        .all()
                        .get();
                long weeksAgo = Instant.now().minus(Duration.ofDays(20)).toEpochMilli();
                producer.send(new ProducerRecord<>(V1, 0, weeksAgo, null, new byte[] {1}));
                producer.send(new ProducerRecord<>(V1, 0, weeksAgo, null, new byte[] {2}));
                producer.send(new ProducerRecord<>(V1, 0, Instant.now().toEpochMilli(), null, new byte[] {3}));
                producer.flush();
                // one team stopped reading three weeks ago, the other read the last record today
                admin.alterConsumerGroupOffsets("archive-v1", Map.of(tp, new OffsetAndMetadata(2)))
                        .all()
                        .get();
                admin.alterConsumerGroupOffsets("billing-v1", Map.of(tp, new OffsetAndMetadata(3)))
                        .all()
                        .get();
            }
            String[] retire = {
                "retire",
                V1,
                "--catalog",
                catalog.toString(),
                "--bootstrap-servers",
                platform.bootstrapServers(),
                "--schema-registry-url",
                platform.schemaRegistryUrl(),
                "--yes"
            };

            CommandLineBehaviourTest.Run refused = run(retire);

            assertThat(refused.exit()).as(refused.err()).isEqualTo(1);
            assertThat(refused.err())
                    .contains("retire: refused: " + V1 + " is still read by consumer group(s) billing-v1")
                    .contains("within the last 7 day(s)")
                    .doesNotContain("archive-v1");
            assertThat(refused.out()).containsPattern("archive-v1 +\\| +0 \\| [0-9T:.Z-]+ +\\| no");
            try (Admin admin = settings.admin()) {
                assertThat(admin.listTopics().names().get()).contains(V1);
                admin.deleteConsumerGroups(List.of("billing-v1")).all().get();
            }

            CommandLineBehaviourTest.Run retired = run(retire);

            assertThat(retired.exit()).as(retired.err()).isZero();
            assertThat(retired.out())
                    .contains("- topic " + V1)
                    .contains("- registry subject " + V1 + "-value (soft-deleted, version(s) [1]")
                    .contains("Retired " + V1);
            try (Admin admin = settings.admin()) {
                assertThat(admin.listTopics().names().get()).doesNotContain(V1);
            }
            // the subject is gone from the listings, its schema id still resolves (a fresh client: nothing cached)
            assertThatThrownBy(() -> registry.versions(V1 + "-value"))
                    .isInstanceOf(io.backbone.registry.SchemaNotFoundException.class);
            try (var fresh = new io.backbone.registry.RestSchemaRegistryClient(settings.clientConfig())) {
                assertThat(fresh.schemaById(schemaId)).isEqualTo(schema);
            }
            // retiring again finds nothing left to delete, and says so without failing
            CommandLineBehaviourTest.Run again = run(retire);
            assertThat(again.exit()).as(again.err()).isZero();
            assertThat(again.out()).contains("no topic").contains("Retired " + V1 + ": 0 deletion(s)");
            registry.close();
        }
    }

    @Test
    void aLiveMajorIsNotRetiredAndTheErrorSaysWhatToDoFirst(@TempDir Path dir) throws Exception {
        Path catalog = retiredCatalog(dir);

        CommandLineBehaviourTest.Run live = run(
                "retire",
                "shop.product.orders.v2",
                "--catalog",
                catalog.toString(),
                "--bootstrap-servers",
                "localhost:1");

        assertThat(live.exit()).isEqualTo(2);
        assertThat(live.err())
                .contains("shop.product.orders.v2 is live (product shop-orders")
                .contains("set status: retired in its contract after the sunset");
    }
}
