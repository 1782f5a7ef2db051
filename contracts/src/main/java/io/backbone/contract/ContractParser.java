package io.backbone.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a schema-valid ODCS document into a {@link DataContract}, reporting what the backbone needs but lacks. */
public final class ContractParser {
    private ContractParser() {}

    /** The contract in {@code doc}, or null with {@code problems} filled when it cannot be used. */
    public static DataContract parse(YamlDocument doc, List<Problem> problems) {
        JsonNode root = doc.root();
        int before = problems.size();
        JsonNode schemas = root.path("schema");
        if (!schemas.isArray() || schemas.isEmpty()) {
            problems.add(doc.problem(
                    "$.schema", "the contract has no schema", "add one schema object describing the topic's record"));
            return null;
        }
        if (schemas.size() > 1) {
            problems.add(doc.problem(
                    "$.schema[1]",
                    "the backbone binds one record type per topic, found " + schemas.size(),
                    "split the contract: one contract per topic"));
        }
        JsonNode schema = schemas.get(0);
        String topic = text(schema, "physicalName");
        if (topic == null) {
            problems.add(doc.problem(
                    "$.schema[0]",
                    "schema[0].physicalName is missing",
                    "set physicalName to the Kafka topic, e.g. orders.raw.order-events"));
        }
        Map<String, JsonNode> schemaCustom = customProperties(schema.path("customProperties"));
        JsonNode avro = schemaCustom.get("avroSchema");
        if (avro == null) {
            problems.add(doc.problem(
                    "$.schema[0]",
                    "no avroSchema custom property",
                    "add customProperties: [{property: avroSchema, value: avro/<domain>/<Record>.avsc}]"));
        }
        List<PropertySpec> properties =
                properties(doc, schema.path("properties"), "$.schema[0].properties", "", problems);
        List<QualitySpec> quality = quality(schema.path("quality"), "$.schema[0].quality");
        Map<String, JsonNode> sla = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode s : root.path("slaProperties")) {
            sla.put(s.path("property").asText("sla" + i++), s);
        }
        if (problems.size() > before) {
            return null;
        }
        return new DataContract(
                text(root, "id"),
                text(root, "version"),
                text(root, "domain"),
                text(root, "name"),
                topic,
                avro.asText(),
                properties,
                quality,
                customProperties(root.path("customProperties")),
                sla,
                doc);
    }

    private static List<PropertySpec> properties(
            YamlDocument doc, JsonNode list, String yamlPath, String parentPath, List<Problem> problems) {
        List<PropertySpec> out = new ArrayList<>();
        int i = 0;
        for (JsonNode p : list) {
            String here = yamlPath + "[" + i++ + "]";
            String name = text(p, "name");
            if (name == null) {
                problems.add(
                        doc.problem(here, "property has no name", "give every property the name of its Avro field"));
                continue;
            }
            String path = parentPath.isEmpty() ? name : parentPath + "." + name;
            List<PropertySpec> children;
            if (p.path("items").path("properties").isArray()) {
                children = properties(
                        doc, p.path("items").path("properties"), here + ".items.properties", path + "[]", problems);
            } else {
                children = properties(doc, p.path("properties"), here + ".properties", path, problems);
            }
            out.add(new PropertySpec(
                    name,
                    path,
                    here,
                    text(p, "logicalType"),
                    p.path("required").asBoolean(false),
                    p.path("unique").asBoolean(false),
                    p.path("logicalTypeOptions"),
                    text(p, "classification"),
                    customProperties(p.path("customProperties")),
                    quality(p.path("quality"), here + ".quality"),
                    children,
                    p));
        }
        return out;
    }

    private static List<QualitySpec> quality(JsonNode list, String yamlPath) {
        List<QualitySpec> out = new ArrayList<>();
        int i = 0;
        for (JsonNode q : list) {
            JsonNode impl = q.path("implementation");
            out.add(new QualitySpec(
                    text(q, "name"),
                    q.has("type") ? text(q, "type") : (q.has("metric") ? "library" : null),
                    text(q, "metric"),
                    text(q, "engine"),
                    impl.isMissingNode() ? null : impl.asText(),
                    text(q, "severity"),
                    q,
                    yamlPath + "[" + i++ + "]"));
        }
        return out;
    }

    /** ODCS/ODPS {@code customProperties} as a map of property → value. */
    public static Map<String, JsonNode> customProperties(JsonNode list) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode c : list) {
            out.put(c.path("property").asText(), c.has("value") ? c.get("value") : MissingNode.getInstance());
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
