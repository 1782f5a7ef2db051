package io.backbone.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.platform.TestPlatform;
import io.backbone.registry.RegistryClientConfig;
import io.backbone.registry.RestSchemaRegistryClient;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class RegistryOnKafkaIT {

    @Test
    void shouldKeepIdsVersionsAndModesAcrossARestart() {
        String bootstrap = TestPlatform.get().bootstrapServers();
        Schema v1 =
                SchemaBuilder.record("Restart").fields().requiredString("id").endRecord();
        Schema v2 = SchemaBuilder.record("Restart")
                .fields()
                .requiredString("id")
                .optionalInt("n")
                .endRecord();
        int id1;
        int id2;
        try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.builder()
                .kafka(Map.of("bootstrap.servers", bootstrap), "_schemas_restart_it")
                .start()) {
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(RegistryClientConfig.forUrl(first.url()));
            id1 = client.register("restart-value", v1);
            id2 = client.register("restart-value", v2);
            client.setCompatibility("restart-value", "FULL_TRANSITIVE");
        }

        try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.builder()
                .kafka(Map.of("bootstrap.servers", bootstrap), "_schemas_restart_it")
                .start()) {
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(RegistryClientConfig.forUrl(second.url()));
            assertThat(client.schemaById(id1)).isEqualTo(v1);
            assertThat(client.schemaById(id2)).isEqualTo(v2);
            assertThat(client.versions("restart-value")).containsExactly(1, 2);
            assertThat(client.compatibility("restart-value")).isEqualTo("FULL_TRANSITIVE");
            Schema v3 = SchemaBuilder.record("Restart")
                    .fields()
                    .requiredString("id")
                    .endRecord();
            assertThat(client.register("other-value", v3)).isNotIn(id2).isEqualTo(id1);
        }
    }
}
