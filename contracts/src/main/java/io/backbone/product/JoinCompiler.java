package io.backbone.product;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import io.backbone.contract.CompiledContract;
import io.backbone.contract.ContractParser;
import io.backbone.contract.FieldPath;
import io.backbone.contract.PropertySpec;
import io.backbone.contract.rules.CelEnvironment;
import io.backbone.contract.rules.CelExpression;
import io.backbone.contract.rules.FieldMapping;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Binds a descriptor with two input ports into a join product: each port names a product contract, a {@code role}
 * (left or right) and optionally a CEL {@code filter}; the output port states the {@code joinWindow}; every field of
 * the output record has a CEL {@code source} over {@code left} and {@code right} in the output contract.
 */
final class JoinCompiler {
    private static final Set<Schema.Type> MAPPABLE = Set.of(
            Schema.Type.STRING,
            Schema.Type.INT,
            Schema.Type.LONG,
            Schema.Type.DOUBLE,
            Schema.Type.FLOAT,
            Schema.Type.BOOLEAN);

    private JoinCompiler() {}

    static DataProduct compile(
            YamlDocument doc, String display, Map<String, CompiledContract> contracts, List<Problem> problems) {
        int before = problems.size();
        JsonNode root = doc.root();
        JoinSpec.Side left = null;
        JoinSpec.Side right = null;
        for (int i = 0; i < 2; i++) {
            String at = "$.inputPorts[" + i + "]";
            JsonNode port = root.path("inputPorts").get(i);
            CompiledContract c = ProductCatalog.contract(doc, at + ".contractId", port, contracts, problems);
            if (c == null) {
                continue;
            }
            if (!"product".equals(TopicNames.kind(c.topic()))) {
                problems.add(doc.problem(
                        at + ".contractId",
                        "a join reads products, but " + c.id() + " binds " + c.topic(),
                        "name the contract of a <domain>.product.<name>.v<N> topic"));
                continue;
            }
            Map<String, JsonNode> custom = ContractParser.customProperties(port.path("customProperties"));
            String role = custom.containsKey("role") ? custom.get("role").asText() : null;
            String filter = custom.containsKey("filter") ? custom.get("filter").asText() : null;
            CelExpression program = null;
            if (filter != null) {
                try {
                    program = CelEnvironment.compile(filter, c.schema());
                } catch (IllegalArgumentException e) {
                    problems.add(doc.problem(
                            "cel",
                            at + ".customProperties",
                            "filter does not compile: " + e.getMessage().replace('\n', ' '),
                            "write a boolean CEL expression over record"));
                    continue;
                }
            }
            JoinSpec.Side side = new JoinSpec.Side(port.path("name").asText(), c, filter, program);
            if ("left".equals(role) && left == null) {
                left = side;
            } else if ("right".equals(role) && right == null) {
                right = side;
            } else {
                problems.add(doc.problem(
                        at + ".customProperties",
                        "a join needs one input port with role left and one with role right",
                        "add customProperties: [{property: role, value: left}] (or right)"));
            }
        }
        JsonNode outputs = root.path("outputPorts");
        if (outputs.size() != 1) {
            problems.add(doc.problem(
                    "$.outputPorts",
                    "a join product has exactly one output port, found " + outputs.size(),
                    "declare one output port"));
            return null;
        }
        String at = "$.outputPorts[0]";
        CompiledContract output = ProductCatalog.contract(doc, at + ".contractId", outputs.get(0), contracts, problems);
        JsonNode windowNode = ContractParser.customProperties(outputs.get(0).path("customProperties"))
                .get("joinWindow");
        Duration window = null;
        try {
            window = windowNode == null ? null : Duration.parse(windowNode.asText());
        } catch (DateTimeParseException e) {
            // reported below
        }
        if (window == null || window.isNegative() || window.isZero()) {
            problems.add(doc.problem(
                    at + ".customProperties",
                    "a join product needs a positive joinWindow",
                    "add customProperties: [{property: joinWindow, value: PT1H}]"));
        }
        if (left == null || right == null || output == null || problems.size() > before) {
            return null;
        }
        List<FieldMapping> mappings = mappings(output, left, right, problems);
        if (problems.size() > before) {
            return null;
        }
        String id = root.path("id").asText();
        return new DataProduct(
                id,
                root.path("name").asText(id),
                root.path("domain").asText(),
                display,
                output,
                output,
                TopicNames.dlqForProduct(output.topic()),
                new JoinSpec(left, right, window, mappings),
                doc,
                null,
                null);
    }

    private static List<FieldMapping> mappings(
            CompiledContract output, JoinSpec.Side left, JoinSpec.Side right, List<Problem> problems) {
        YamlDocument contractDoc = output.contract().document();
        Schema schema = output.schema();
        List<FieldMapping> mappings = new ArrayList<>();
        Set<String> mapped = new HashSet<>();
        for (PropertySpec p : output.contract().properties()) {
            JsonNode source = p.customProperties().get("source");
            if (source == null) {
                continue;
            }
            Schema.Field field = schema.getField(p.name());
            Schema.Type type =
                    field == null ? null : FieldPath.nonNull(field.schema()).getType();
            if (field == null || !MAPPABLE.contains(type)) {
                problems.add(contractDoc.problem(
                        p.yamlPath(),
                        "source of '" + p.name() + "' needs a top-level field of type " + MAPPABLE + " in "
                                + schema.getFullName(),
                        "map scalar top-level fields only"));
                continue;
            }
            try {
                CelExpression program = CelEnvironment.compileJoin(
                        source.asText(),
                        left.contract().schema(),
                        right.contract().schema());
                mappings.add(new FieldMapping(field.name(), field.pos(), type, source.asText(), program));
                mapped.add(field.name());
            } catch (IllegalArgumentException e) {
                problems.add(contractDoc.problem(
                        "cel",
                        p.yamlPath() + ".customProperties",
                        "source of '" + p.name() + "' does not compile: "
                                + e.getMessage().replace('\n', ' '),
                        "write a CEL expression over left and right"));
            }
        }
        for (Schema.Field f : schema.getFields()) {
            if (!mapped.contains(f.name()) && !f.hasDefaultValue()) {
                problems.add(contractDoc.problem(
                        "$.schema[0].properties",
                        "field '" + f.name() + "' of " + schema.getFullName() + " has no source and no default",
                        "add the property with customProperties: [{property: source, value: <CEL>}]"));
            }
        }
        return mappings;
    }
}
