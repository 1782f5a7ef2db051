package io.backbone.catalogservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;

/** Reading catalog records: owner, schema table, rules in plain words, SLA, search. */
final class Products {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Products() {}

    /** A rule as people read it, keyed by the name the backbone counts it under. */
    record Rule(String name, String kind, String severity, String plainWords, String column) {}

    static JsonNode outputContract(JsonNode p) {
        return p.path("contracts").path(p.path("outputContractId").asText());
    }

    static String owner(JsonNode p) {
        String team = p.path("descriptor").path("team").path("name").asText(null);
        if (team == null) {
            team = outputContract(p).path("document").path("team").path("name").asText(null);
        }
        return team;
    }

    static List<String> tags(JsonNode p) {
        List<String> out = new ArrayList<>();
        p.path("descriptor").path("tags").forEach(t -> out.add(t.asText()));
        outputContract(p).path("document").path("tags").forEach(t -> out.add(t.asText()));
        return out;
    }

    static String customProperty(JsonNode node, String name) {
        for (JsonNode c : node.path("customProperties")) {
            if (name.equals(c.path("property").asText())) {
                JsonNode v = c.path("value");
                return v.isValueNode() ? v.asText() : v.toString();
            }
        }
        return null;
    }

    /** Every property of a contract document by path ({@code lines[].sku}). */
    static Map<String, JsonNode> propertyDocs(JsonNode document) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        collect(document.path("schema").path(0).path("properties"), "", out);
        return out;
    }

    private static void collect(JsonNode properties, String prefix, Map<String, JsonNode> out) {
        for (JsonNode p : properties) {
            String path = prefix + p.path("name").asText();
            out.put(path, p);
            if (p.path("items").path("properties").isArray()) {
                collect(p.path("items").path("properties"), path + "[].", out);
            } else if (p.path("properties").isArray()) {
                collect(p.path("properties"), path + ".", out);
            }
        }
    }

    /**
     * PII of a product as its consumers see it: every field that is PII in the product's contract or in any contract
     * it derives from (a product of audience domain may leave the raw contract's PII undeclared), each with the
     * product's masking, or {@code undeclared} where only an input contract calls it PII.
     */
    static Map<String, String> piiAcrossContracts(JsonNode product) {
        Map<String, String> out = new LinkedHashMap<>();
        product.path("contracts")
                .forEach(c ->
                        piiMasking(c.path("document")).keySet().forEach(path -> out.putIfAbsent(path, "undeclared")));
        JsonNode output =
                product.path("contracts").path(product.path("outputContractId").asText());
        out.putAll(piiMasking(output.path("document")));
        return out;
    }

    /** PII properties of a contract document: path → masking (null when none). */
    static Map<String, String> piiMasking(JsonNode document) {
        Map<String, String> out = new LinkedHashMap<>();
        propertyDocs(document).forEach((path, p) -> {
            if ("true".equals(customProperty(p, "pii"))) {
                out.put(path, customProperty(p, "masking"));
            }
        });
        return out;
    }

    /**
     * The schema as a table: one row per field, with type, required, description, classification, masking and the
     * corrections the contract applies to it.
     */
    static ArrayNode schemaTable(JsonNode contract) {
        ArrayNode rows = JSON.createArrayNode();
        Map<String, JsonNode> docs = propertyDocs(contract.path("document"));
        String avsc = contract.path("avroSchema").asText(null);
        if (avsc == null) {
            return rows;
        }
        addRows(rows, new Schema.Parser().parse(avsc), "", docs);
        return rows;
    }

    private static void addRows(ArrayNode rows, Schema record, String prefix, Map<String, JsonNode> docs) {
        for (Schema.Field f : record.getFields()) {
            String path = prefix + f.name();
            JsonNode doc = docs.getOrDefault(path, JSON.createObjectNode());
            Schema type = nonNull(f.schema());
            ObjectNode row = rows.addObject()
                    .put("field", path)
                    .put("type", doc.path("logicalType").asText(type.getType().getName()))
                    .put("avroType", avroType(f.schema()))
                    .put("required", doc.path("required").asBoolean(false))
                    .put("description", doc.path("description").asText(f.doc() == null ? "" : f.doc()))
                    .put("classification", doc.path("classification").asText(""));
            String format = doc.path("logicalTypeOptions").path("format").asText(null);
            if (format != null) {
                row.put("format", format);
            }
            boolean pii = "true".equals(customProperty(doc, "pii"));
            row.put("pii", pii);
            row.put("masking", pii ? String.valueOf(customProperty(doc, "masking")) : "");
            String corrections = corrections(doc);
            if (corrections != null) {
                row.put("corrections", corrections);
            }
            Schema nested = type.getType() == Schema.Type.ARRAY ? nonNull(type.getElementType()) : type;
            if (nested.getType() == Schema.Type.RECORD) {
                addRows(rows, nested, path + (type.getType() == Schema.Type.ARRAY ? "[]." : "."), docs);
            }
        }
    }

    /**
     * What a property's normalisers do, for a reader: {@code trim, email (local part lower-cased)}; null when it
     * declares none.
     */
    static String corrections(JsonNode property) {
        JsonNode kinds = null;
        for (JsonNode c : property.path("customProperties")) {
            if ("normalise".equals(c.path("property").asText())) {
                kinds = c.path("value");
            }
        }
        if (kinds == null) {
            return null;
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        if (kinds.isArray()) {
            kinds.forEach(k -> out.add(k.asText()));
        } else {
            out.add(kinds.asText());
        }
        String region = customProperty(property, "phoneRegion");
        String localPart = customProperty(property, "emailLocalPart");
        String text = String.join(", ", out);
        if (region != null) {
            text += " (national numbers read as " + region + ")";
        }
        if ("lower".equals(localPart)) {
            text += " (local part lower-cased)";
        }
        return text;
    }

    static Schema nonNull(Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            for (Schema t : s.getTypes()) {
                if (t.getType() != Schema.Type.NULL) {
                    return t;
                }
            }
        }
        return s;
    }

    static String avroType(Schema s) {
        boolean nullable = s.getType() == Schema.Type.UNION
                && s.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL);
        Schema t = nonNull(s);
        String name =
                switch (t.getType()) {
                    case RECORD, ENUM, FIXED -> t.getType().getName() + " " + t.getName();
                    case ARRAY -> "array<" + avroType(t.getElementType()) + ">";
                    default ->
                        t.getLogicalType() == null
                                ? t.getType().getName()
                                : t.getType().getName() + " ("
                                        + t.getLogicalType().getName() + ")";
                };
        return nullable ? name + " | null" : name;
    }

    /** Every rule of a contract document in plain words, named as the backbone counts violations. */
    static List<Rule> rules(JsonNode document) {
        List<Rule> out = new ArrayList<>();
        propertyDocs(document).forEach((path, p) -> {
            if (p.path("required").asBoolean(false)) {
                out.add(new Rule(path + ".required", "not_null", "error", "'" + path + "' is always present", path));
            }
            if (p.path("unique").asBoolean(false)) {
                out.add(new Rule(
                        path + ".unique",
                        "unique",
                        "error",
                        "'" + path + "' is unique: repeated events are dropped as duplicates within the dedup window",
                        path));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            p.path("logicalTypeOptions").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> o = it.next();
                String v = o.getValue().asText();
                String words =
                        switch (o.getKey()) {
                            case "pattern" -> "'" + path + "' matches " + v;
                            case "format" ->
                                switch (v) {
                                    case "email" -> "'" + path + "' is an e-mail address";
                                    case "uuid" -> "'" + path + "' is a UUID";
                                    case "i32", "i64" -> null;
                                    default -> "'" + path + "' has format " + v;
                                };
                            case "minimum" -> "'" + path + "' ≥ " + v;
                            case "maximum" -> "'" + path + "' ≤ " + v;
                            case "exclusiveMinimum" -> "'" + path + "' > " + v;
                            case "exclusiveMaximum" -> "'" + path + "' < " + v;
                            case "minLength" -> "'" + path + "' has at least " + v + " characters";
                            case "maxLength" -> "'" + path + "' has at most " + v + " characters";
                            default -> "'" + path + "' " + o.getKey() + " " + v;
                        };
                if (words != null) {
                    out.add(new Rule(
                            path + "." + o.getKey(),
                            o.getKey().equals("pattern") ? "pattern" : "custom",
                            "error",
                            words,
                            path));
                }
            }
            for (JsonNode q : p.path("quality")) {
                out.add(rule(q, path));
            }
        });
        for (JsonNode q : document.path("schema").path(0).path("quality")) {
            out.add(rule(q, null));
        }
        return out;
    }

    private static Rule rule(JsonNode q, String path) {
        String metric = q.path("metric").asText(null);
        String severity = q.path("severity").asText("error");
        String subject = path == null ? "the record" : "'" + path + "'";
        if (metric == null) {
            String name = q.path("name").asText("rule");
            String words = q.path("description").asText(null);
            if (words == null) {
                words = q.path("implementation").asText(name);
            }
            return new Rule(name, "custom", severity, words, path);
        }
        String name = q.path("name").asText((path == null ? "" : path + ".") + metric);
        JsonNode args = q.path("arguments");
        String words =
                switch (metric) {
                    case "nullValues" -> subject + " is never null";
                    case "missingValues" -> subject + " is never null or blank";
                    case "duplicateValues" -> subject + " has no duplicates";
                    case "invalidValues" -> {
                        if ("percent".equals(q.path("unit").asText())) {
                            yield "fewer than "
                                    + q.path("mustBeLessThan")
                                            .asText(q.path("mustBeLessOrEqualTo")
                                                    .asText()) + " % of a window's records are dead-lettered";
                        }
                        if (args.path("validValues").isArray()) {
                            List<String> values = new ArrayList<>();
                            args.path("validValues").forEach(v -> values.add(v.asText()));
                            yield subject + " is one of " + String.join(", ", values);
                        }
                        yield subject + " matches " + args.path("pattern").asText();
                    }
                    default -> subject + " " + metric;
                };
        String kind =
                switch (metric) {
                    case "nullValues", "missingValues" -> "not_null";
                    case "duplicateValues" -> "unique";
                    case "invalidValues" ->
                        "percent".equals(q.path("unit").asText()) ? "dead_letter_ratio" : "accepted_values";
                    default -> metric;
                };
        return new Rule(name, kind, severity, words, path);
    }

    /** Service levels as {property, value, unit, text}. */
    static ArrayNode sla(JsonNode document) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode s : document.path("slaProperties")) {
            out.addObject()
                    .put("property", s.path("property").asText())
                    .put("value", s.path("value").asText())
                    .put("unit", s.path("unit").asText(""))
                    .put(
                            "text",
                            s.path("property").asText() + " " + s.path("value").asText() + " "
                                    + s.path("unit").asText(""));
        }
        return out;
    }

    static boolean matches(String haystack, String needle) {
        return needle == null
                || needle.isBlank()
                || haystack.toLowerCase(Locale.ROOT)
                        .contains(needle.toLowerCase(Locale.ROOT).trim());
    }
}
