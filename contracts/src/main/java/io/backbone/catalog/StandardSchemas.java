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

        private volatile com.fasterxml.jackson.databind.JsonNode tree;

        /** The standard's JSON Schema as a tree, to read its annotations. */
        com.fasterxml.jackson.databind.JsonNode tree() {
            if (tree == null) {
                try (InputStream in = StandardSchemas.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException("missing resource " + resource);
                    }
                    tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return tree;
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

    /**
     * Warnings for every field {@code doc} uses that the ODCS JSON Schema marks deprecated: top-level ones (e.g.
     * {@code dataProduct}, the product link that ODPS output ports' {@code contractId} replaces), the array form of
     * {@code team}, and a quality check's {@code rule} (now {@code metric}).
     */
    public static List<Problem> deprecatedFields(YamlDocument doc) {
        List<Problem> found = new java.util.ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode standard = Standard.ODCS.tree();
        com.fasterxml.jackson.databind.JsonNode root = doc.root();
        standard.path("properties").fields().forEachRemaining(e -> {
            if (e.getValue().path("deprecated").asBoolean(false) && root.has(e.getKey())) {
                found.add(doc.problem(
                                "deprecated",
                                "$." + e.getKey(),
                                "'" + e.getKey() + "' is deprecated in ODCS v3.1.0: "
                                        + e.getValue().path("description").asText(),
                                "remove it (a product's descriptor links its contracts by outputPorts[].contractId)")
                        .asWarning());
            }
        });
        if (root.path("team").isArray()) {
            found.add(doc.problem(
                            "deprecated",
                            "$.team",
                            "'team' as an array of members is deprecated in ODCS v3.1.0",
                            "write team: {name: <team>, members: [...]}")
                    .asWarning());
        }
        deprecatedRules(doc, root.path("schema"), "$.schema", found);
        return found;
    }

    private static void deprecatedRules(
            YamlDocument doc, com.fasterxml.jackson.databind.JsonNode node, String path, List<Problem> found) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                deprecatedRules(doc, node.get(i), path + "[" + i + "]", found);
            }
        } else if (node.isObject()) {
            if (path.matches(".*\\.quality\\[[0-9]+\\]") && node.has("rule")) {
                found.add(doc.problem(
                                "deprecated",
                                path + ".rule",
                                "a quality check's 'rule' is deprecated in ODCS v3.1.0",
                                "write metric: <" + node.path("rule").asText() + "> instead")
                        .asWarning());
            }
            node.fields().forEachRemaining(e -> deprecatedRules(doc, e.getValue(), path + "." + e.getKey(), found));
        }
    }

    /** Every violation of {@code standard}'s JSON Schema in {@code doc}, in line order. */
    public static List<Problem> validate(YamlDocument doc, Standard standard) {
        java.util.Set<ValidationMessage> messages = standard.schema().validate(doc.root());
        return fold(messages).stream()
                .map(m -> toProblem(doc, standard, m))
                .sorted(Comparator.comparingInt(Problem::line).thenComparing(Problem::message))
                .toList();
    }

    /**
     * The root causes only: a value the schema refuses (a misspelt enum, say) makes the conditional subschemas of the
     * object around it fail, and the official schema's {@code unevaluatedProperties} then reports every other key of
     * that object as "not evaluated". Those follow from the first error and are folded into it.
     */
    static List<ValidationMessage> fold(java.util.Collection<ValidationMessage> messages) {
        List<String> causes = messages.stream()
                .filter(m -> !"unevaluatedProperties".equals(m.getType()))
                .map(m -> m.getInstanceLocation().toString())
                .toList();
        return messages.stream()
                .filter(m -> !"unevaluatedProperties".equals(m.getType())
                        || causes.stream()
                                .noneMatch(
                                        c -> within(c, m.getInstanceLocation().toString())))
                .toList();
    }

    /** Whether instance location {@code inner} is {@code outer} or below it. */
    private static boolean within(String inner, String outer) {
        return inner.equals(outer) || inner.startsWith(outer + ".") || inner.startsWith(outer + "[");
    }

    /** The allowed value nearest to {@code given} by edit distance, when one is close enough to be a typo. */
    static String nearest(String given, List<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String a : allowed) {
            int d = distance(given.toLowerCase(java.util.Locale.ROOT), a.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        return best != null && bestDistance <= Math.max(1, given.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    private static final java.util.regex.Pattern ENUMERATION =
            java.util.regex.Pattern.compile("enumeration \\[(.*)\\]");

    /** For a value outside an enumeration, the nearest allowed one; otherwise where the allowed values are. */
    private static String enumFix(YamlDocument doc, String path, ValidationMessage m) {
        String general = "see the JSON Schema in schemas/src/main/resources/standards/ for allowed fields and values";
        if (!"enum".equals(m.getType())) {
            return general;
        }
        java.util.regex.Matcher listed = ENUMERATION.matcher(m.getMessage());
        com.fasterxml.jackson.databind.JsonNode given = doc.at(path);
        if (!listed.find() || given == null || !given.isTextual()) {
            return general;
        }
        List<String> allowed = java.util.Arrays.stream(listed.group(1).split(","))
                .map(String::trim)
                .map(v -> v.replaceAll("^\"|\"$", ""))
                .toList();
        String nearest = nearest(given.asText(), allowed);
        return nearest == null
                ? "'" + given.asText() + "' is none of them: use one of " + allowed
                : "'" + given.asText() + "': did you mean '" + nearest + "'?";
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
                        : enumFix(doc, path, m),
                standard == Standard.ODCS ? "odcs-schema" : "odps-schema");
    }
}
