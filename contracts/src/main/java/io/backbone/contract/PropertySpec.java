package io.backbone.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One ODCS schema property. {@code path} is the field path in the record ({@code lines[].sku} for a field of an
 * array's items); {@code yamlPath} is where it is written in the contract file; {@code node} is the property as
 * written.
 */
public record PropertySpec(
        String name,
        String path,
        String yamlPath,
        String logicalType,
        boolean required,
        boolean unique,
        JsonNode logicalTypeOptions,
        String classification,
        Map<String, JsonNode> customProperties,
        List<QualitySpec> quality,
        List<PropertySpec> children,
        JsonNode node) {

    /** A key of the property as written ({@code description}, {@code primaryKey}, …), or a missing node. */
    public JsonNode get(String key) {
        return node.path(key);
    }

    /** Marked as personal data by a {@code pii: true} custom property. */
    public boolean pii() {
        JsonNode pii = customProperties.get("pii");
        return pii != null && pii.asBoolean(false);
    }

    /** Every PII property among {@code properties} and their children, by path, with its masking (null if none). */
    public static Map<String, String> piiMasking(List<PropertySpec> properties) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (PropertySpec p : properties) {
            if (p.pii()) {
                out.put(p.path(), p.masking());
            }
            out.putAll(piiMasking(p.children()));
        }
        return out;
    }

    public String masking() {
        JsonNode masking = customProperties.get("masking");
        return masking == null ? null : masking.asText();
    }
}
