package io.backbone.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.catalog.YamlDocument;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ODCS v3.1.0 data contract for one Kafka topic, as the backbone reads it: the topic
 * ({@code schema[0].physicalName}), the Avro schema it binds ({@code schema[0].customProperties.avroSchema}),
 * its properties and rules, and its contract-level custom properties ({@code audience}, {@code dedupWindow}, …).
 */
public record DataContract(
        String id,
        String version,
        String domain,
        String name,
        String topic,
        String avroSchemaRef,
        List<PropertySpec> properties,
        List<QualitySpec> quality,
        Map<String, JsonNode> customProperties,
        Map<String, JsonNode> slaProperties,
        YamlDocument document) {
    private static final Set<String> DOMAIN_AUDIENCES = Set.of("domain", "owner", "private");

    public String file() {
        return document.file();
    }

    /** Whether the audience reaches beyond the owning domain, so that PII must be masked for it. */
    public boolean widerThanDomain() {
        return !DOMAIN_AUDIENCES.contains(custom("audience", "company-internal"));
    }

    /** Its status and, when deprecated, since when, until when and what replaces it. */
    public Lifecycle lifecycle() {
        return Lifecycle.of(document.root(), customProperties);
    }

    /** A contract-level custom property as text, or {@code fallback}. */
    public String custom(String key, String fallback) {
        JsonNode value = customProperties.get(key);
        return value == null || value.isNull() ? fallback : value.asText();
    }
}
