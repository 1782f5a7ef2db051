package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.platform.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backbone topology} ends with exit 1 and the reason when Kafka Streams can no longer run. */
class TopologyCommandIT {

    @Test
    void theTopologyExitsNonZeroWithTheReasonWhenKafkaStreamsGoesToError(@TempDir Path dir) throws Exception {
        TestPlatform platform = TestPlatform.get();
        Path secret = Files.writeString(dir.resolve("secret"), "topology-it-secret-0123456789");

        CommandLineBehaviourTest.Run r = CommandLineBehaviourTest.run(
                "topology",
                "--bootstrap-servers",
                platform.bootstrapServers(),
                "--schema-registry-url",
                platform.schemaRegistryUrl(),
                "--masking-secret-file",
                secret.toString(),
                "--state-dir",
                dir.resolve("state").toString());

        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err())
                .contains("state in " + dir.resolve("state"))
                .contains("Kafka Streams went to ERROR")
                .contains("MissingSourceTopicException")
                .contains("run 'backbone provision'");
    }
}
