package io.backbone.platform;

import io.backbone.platform.registry.EmbeddedSchemaRegistry;
import java.util.Map;

/** The embedded default: a KRaft broker and a schema registry whose state lives on that broker. */
public final class LocalPlatform implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;

    private LocalPlatform(EmbeddedKafka kafka, EmbeddedSchemaRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Starts both; {@code registryPort} 0 picks a free port. */
    public static LocalPlatform start(int registryPort) {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        try {
            EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                    .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers()), "_schemas")
                    .port(registryPort)
                    .start();
            return new LocalPlatform(kafka, registry);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return registry.url();
    }

    @Override
    public void close() {
        registry.close();
        kafka.close();
    }
}
