package io.backbone.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A schema as it is registered and looked up: without the properties only Java code generation reads
 * ({@code avro.java.string}, {@code java-class}, …), as Confluent's {@code normalize.schemas} does. A class generated
 * with {@code stringType=String} and the {@code .avsc} it came from are then one schema, so a registry filled by
 * {@code backbone provision} serves producers that run with {@code auto.register.schemas=false}.
 */
public final class CanonicalSchema {
    private static final Set<String> JAVA_ONLY =
            Set.of("avro.java.string", "java-class", "java-key-class", "java-element-class");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Schema, Schema> CACHE = new ConcurrentHashMap<>();

    private CanonicalSchema() {}

    public static Schema of(Schema schema) {
        return CACHE.computeIfAbsent(schema, CanonicalSchema::strip);
    }

    private static Schema strip(Schema schema) {
        String text = schema.toString();
        if (JAVA_ONLY.stream().noneMatch(text::contains)) {
            return schema;
        }
        try {
            JsonNode tree = JSON.readTree(text);
            remove(tree);
            return new Schema.Parser().parse(JSON.writeValueAsString(tree));
        } catch (IOException e) {
            throw new IllegalStateException("cannot normalise schema " + schema.getFullName(), e);
        }
    }

    private static void remove(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JAVA_ONLY.forEach(object::remove);
        }
        node.forEach(CanonicalSchema::remove);
    }
}
