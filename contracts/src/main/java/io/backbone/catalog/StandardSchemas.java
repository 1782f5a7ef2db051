package io.backbone.catalog;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/** The official ODCS v3.1.0 and ODPS v1.0.0 JSON Schemas, applied to catalog files. */
public final class StandardSchemas {
    /** Which standard a file claims to follow. */
    public enum Standard {
        ODCS("standards/odcs-json-schema-v3.1.0.json", "ODCS v3.1.0"),
        ODPS("standards/odps-json-schema-v1.0.0.json", "ODPS v1.0.0");

        private final String resource;
        private final String title;
        private volatile JsonSchema schema;

        Standard(String resource, String title) {
            this.resource = resource;
            this.title = title;
        }

        private JsonSchema schema() {
            if (schema == null) {
                try (InputStream in = StandardSchemas.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException("missing resource " + resource);
                    }
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909)
                            .getSchema(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return schema;
        }
    }

    private StandardSchemas() {}

    /** Every violation of {@code standard}'s JSON Schema in {@code doc}, in line order. */
    public static List<Problem> validate(YamlDocument doc, Standard standard) {
        return standard.schema().validate(doc.root()).stream()
                .map(m -> toProblem(doc, standard, m))
                .sorted(Comparator.comparingInt(Problem::line).thenComparing(Problem::message))
                .toList();
    }

    private static Problem toProblem(YamlDocument doc, Standard standard, ValidationMessage m) {
        String path = m.getInstanceLocation().toString();
        String field = m.getProperty() != null ? path + "." + m.getProperty() : path;
        return new Problem(
                doc.file(),
                doc.line(field),
                field,
                "breaks the " + standard.title + " JSON Schema: " + m.getMessage(),
                "unevaluatedProperties".equals(m.getType()) || "additionalProperties".equals(m.getType())
                        ? "remove '" + m.getProperty() + "' or move it under customProperties"
                        : "see the JSON Schema in schemas/src/main/resources/standards/ for allowed fields and values",
                standard == Standard.ODCS ? "odcs-schema" : "odps-schema");
    }
}
