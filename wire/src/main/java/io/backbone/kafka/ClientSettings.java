package io.backbone.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where the cluster and registry are and how to reach them: bootstrap servers, registry URL and any client
 * properties (security settings) from a file. Every runnable (services, the topology, captures, the catalog) reaches a
 * cluster through it, beside the clients it configures.
 */
public record ClientSettings(String bootstrapServers, String schemaRegistryUrl, Map<String, String> extra) {

    public ClientSettings {
        extra = Map.copyOf(extra);
    }

    public static ClientSettings of(String bootstrapServers, String schemaRegistryUrl) {
        return new ClientSettings(bootstrapServers, schemaRegistryUrl, Map.of());
    }

    /** Reads a Java properties file of client settings (e.g. security.protocol, sasl.*, basic.auth.*). */
    public static Map<String, String> readProperties(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read client properties file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new HashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    /** The Kafka client settings alone (no registry keys, which Kafka's clients would log as unknown). */
    public Map<String, Object> kafkaConfig() {
        Map<String, Object> config = clientConfig();
        config.keySet()
                .removeIf(k ->
                        k.startsWith("schema.registry") || k.startsWith("basic.auth") || k.startsWith("bearer.auth"));
        return config;
    }

    /** An admin client for this cluster; the caller closes it. */
    public org.apache.kafka.clients.admin.Admin admin() {
        return org.apache.kafka.clients.admin.Admin.create(kafkaConfig());
    }

    /** Kafka client and registry settings together, the operator's extra properties last so they win. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("schema.registry.url", schemaRegistryUrl);
        config.putAll(extra);
        return config;
    }
}
