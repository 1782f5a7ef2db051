package io.backbone.product;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import io.backbone.contract.CompiledContract;
import io.backbone.contract.FieldPath;
import io.backbone.contract.rules.CelEnvironment;
import io.backbone.contract.rules.CelExpression;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Binds an output port's {@code entity} declaration ({@code state}, {@code deletedWhen}, {@code changeId}) to the
 * input and output contracts: the state must be a record field of the input whose schema is the output's, the
 * condition a boolean CEL expression over the input record, the change id a scalar field of the input.
 */
final class EntityCompiler {
    private static final Set<String> KEYS = Set.of("state", "deletedWhen", "changeId");

    private EntityCompiler() {}

    static EntitySpec compile(
            YamlDocument doc,
            String portAt,
            JsonNode node,
            CompiledContract input,
            CompiledContract output,
            List<Problem> problems) {
        String at = portAt + ".customProperties";
        if (!node.isObject()) {
            problems.add(doc.problem(
                    at,
                    "entity must be a map",
                    "write value: {state: <field of the input holding the state>, deletedWhen: <CEL>, changeId:"
                            + " <field>}"));
            return null;
        }
        int before = problems.size();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                problems.add(doc.problem(
                        at, "entity has an unknown key '" + name + "'", "use state, deletedWhen and changeId only"));
            }
        }
        String state = text(node, "state");
        FieldPath statePath = null;
        Schema stateSchema = input.schema();
        if (state != null) {
            try {
                statePath = FieldPath.resolve(input.schema(), state);
                stateSchema = statePath.leafSchema();
            } catch (IllegalArgumentException e) {
                problems.add(doc.problem(
                        at,
                        "entity state '" + state + "' is not a field of " + input.id() + ": " + e.getMessage(),
                        "name the field of the input record that holds the entity's state, e.g. after"));
                return null;
            }
            if (!statePath.scalar() || stateSchema.getType() != Schema.Type.RECORD) {
                problems.add(doc.problem(
                        at,
                        "entity state '" + state + "' is a " + stateSchema.getType() + ", not one record",
                        "name a record field (not below an array) of the input"));
                return null;
            }
        }
        if (!stateSchema.equals(output.schema())) {
            problems.add(doc.problem(
                    portAt + ".contractId",
                    "the entity's state is " + stateSchema.getFullName()
                            + (state == null ? "" : " (field " + state + ")")
                            + " but " + output.id() + " binds "
                            + output.schema().getFullName()
                            + ", with other fields or types",
                    "bind " + output.contract().file() + " to an .avsc equal to the state's record schema"));
        }
        String deletedWhen = text(node, "deletedWhen");
        CelExpression deleted = null;
        if (deletedWhen != null) {
            try {
                deleted = CelEnvironment.compile(deletedWhen, input.schema());
            } catch (IllegalArgumentException e) {
                problems.add(doc.problem(
                        "cel",
                        at,
                        "entity deletedWhen does not compile: " + e.getMessage().replace('\n', ' '),
                        "write a boolean CEL expression over record (the input), e.g. record.op == 'DELETE'"));
            }
        }
        String changeId = text(node, "changeId");
        FieldPath changePath = null;
        if (changeId != null) {
            try {
                changePath = FieldPath.resolve(input.schema(), changeId);
                Schema.Type type = changePath.leafSchema().getType();
                if (!changePath.scalar()
                        || type != Schema.Type.STRING && type != Schema.Type.LONG && type != Schema.Type.INT) {
                    problems.add(doc.problem(
                            at,
                            "entity changeId '" + changeId + "' is a " + type + ", not one string or integer",
                            "name the input field that identifies a change (an event id, a log position)"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(doc.problem(
                        at,
                        "entity changeId '" + changeId + "' is not a field of " + input.id() + ": " + e.getMessage(),
                        "name the input field that identifies a change, e.g. changeId or eventId"));
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new EntitySpec(state, statePath, deletedWhen, deleted, changePath);
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
