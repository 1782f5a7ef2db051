package io.backbone.platform;

import io.backbone.platform.registry.EmbeddedSchemaRegistry;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The broker and registry integration tests run against: Testcontainers' Kafka module when a Docker engine answers,
 * otherwise the embedded KRaft broker. Started once per test JVM and shared, like a real cluster would be; tests
 * keep apart by using their own topics, groups and application ids.
 */
public final class TestPlatform {
    private static final Logger LOG = LoggerFactory.getLogger(TestPlatform.class);
    private static TestPlatform shared;

    private final String bootstrapServers;
    private final EmbeddedSchemaRegistry registry;

    private TestPlatform(String bootstrapServers, EmbeddedSchemaRegistry registry) {
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
    }

    /** The shared platform, started on first use and stopped when the JVM exits. */
    public static synchronized TestPlatform get() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static TestPlatform start() {
        String bootstrap;
        AutoCloseable broker;
        if (dockerAvailable()) {
            KafkaContainer container = new KafkaContainer("apache/kafka:4.2.2");
            container.start();
            bootstrap = container.getBootstrapServers();
            broker = container::stop;
            LOG.info("Integration tests run on Testcontainers Kafka at {}", bootstrap);
        } else {
            EmbeddedKafka kafka = EmbeddedKafka.start();
            bootstrap = kafka.bootstrapServers();
            broker = kafka;
            LOG.info("No Docker engine: integration tests run on the embedded KRaft broker at {}", bootstrap);
        }
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .kafka(Map.of("bootstrap.servers", bootstrap), "_schemas")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            registry.close();
            try {
                broker.close();
            } catch (Exception e) {
                LOG.warn("broker did not stop cleanly: {}", e.getMessage());
            }
        }));
        return new TestPlatform(bootstrap, registry);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String schemaRegistryUrl() {
        return registry.url();
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        return Admin.create(p);
    }
}
