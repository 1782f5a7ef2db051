package io.backbone.contract.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.contract.CompiledContract;
import io.backbone.contract.Correction;
import io.backbone.contract.PropertySpec;
import io.backbone.contract.RecordRule;
import io.backbone.contract.Severity;
import io.backbone.contract.normalise.Normaliser;
import io.backbone.contract.rules.CelRule;
import io.backbone.contract.rules.ValueRule;
import java.util.ArrayList;
import java.util.List;

/**
 * A contract as Confluent Schema Registry's data contracts carry it, for Confluent's serializers to enforce on the
 * client: each rule with a portable form becomes a CEL {@code CONDITION} rule in {@code WRITE} mode over {@code
 * message} (errors {@code onFailure: ERROR}, warnings {@code NONE}); PII and classified fields become tags; the
 * contract's id, version, domain and owner become metadata properties. A rule without a portable form (one that uses
 * a function only the backbone has, or a regex feature RE2 lacks) is left out and listed: a rule Confluent's executor
 * cannot evaluate as the backbone does is worse than none.
 */
public record ConfluentContract(ObjectNode metadata, ObjectNode ruleSet, List<Skipped> skipped) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A rule enforced by the backbone only, and why. */
    public record Skipped(String rule, String reason) {}

    public static ConfluentContract of(CompiledContract contract) {
        ObjectNode ruleSet = JSON.createObjectNode();
        ArrayNode rules = ruleSet.putArray("domainRules");
        List<Skipped> skipped = new ArrayList<>();
        java.util.Map<String, Correction> corrected = new java.util.HashMap<>();
        contract.corrections().forEach(c -> corrected.put(c.property(), c));
        for (RecordRule rule : contract.rules()) {
            String expr;
            Severity severity;
            String reason;
            if (rule instanceof ValueRule v
                    && corrected.containsKey(v.field().path())
                    && !(rule instanceof io.backbone.contract.rules.RequiredRule)) {
                // (no normaliser makes a missing value present: required goes across as it is)
                // the backbone checks the corrected value: the serializer must correct it the same way in CEL first
                Correction c = corrected.get(v.field().path());
                expr = v.portableCel(c::portableCel);
                severity = v.severity();
                reason = expr != null
                        ? null
                        : c.portableCel("v") == null
                                ? "the backbone corrects '" + v.field().path() + "' with " + c.kinds()
                                        + " before it checks it, and only " + Normaliser.PORTABLE_KINDS
                                        + " have a CEL form a producer's serializer can apply first"
                                : v.notPortable();
            } else if (rule instanceof ValueRule v) {
                expr = v.portableCel();
                severity = v.severity();
                reason = expr == null ? v.notPortable() : null;
            } else if (rule instanceof CelRule c) {
                expr = c.portableCel();
                severity = c.severity();
                reason = expr == null ? c.notPortable() : null;
            } else {
                expr = null;
                severity = Severity.ERROR;
                reason = "it is a " + rule.getClass().getSimpleName() + ", which has no CEL form";
            }
            if (expr == null) {
                skipped.add(new Skipped(rule.name(), reason));
                continue;
            }
            ObjectNode r = rules.addObject();
            r.put("name", rule.name());
            r.put("doc", "contract " + contract.id() + " " + contract.version() + ", rule " + rule.name());
            r.put("kind", "CONDITION");
            r.put("mode", "WRITE");
            r.put("type", "CEL");
            r.put("expr", expr);
            r.put("onFailure", severity == Severity.ERROR ? "ERROR" : "NONE");
        }
        ObjectNode metadata = JSON.createObjectNode();
        ObjectNode properties = metadata.putObject("properties");
        properties.put("backbone.contract.id", contract.id());
        properties.put("backbone.contract.version", contract.version());
        properties.put("backbone.domain", contract.contract().domain());
        String owner =
                contract.contract().document().root().path("team").path("name").asText("");
        if (!owner.isEmpty()) {
            properties.put("owner", owner);
        }
        ObjectNode tags = JSON.createObjectNode();
        String record = contract.schema().getName();
        tag(tags, record, contract.contract().properties());
        if (!tags.isEmpty()) {
            metadata.set("tags", tags);
        }
        return new ConfluentContract(metadata, ruleSet, List.copyOf(skipped));
    }

    /** Tags per field path ({@code <Record>.<path>}): {@code PII} on PII fields, and the classification. */
    private static void tag(ObjectNode tags, String record, List<PropertySpec> properties) {
        for (PropertySpec p : properties) {
            List<String> labels = new ArrayList<>();
            if (p.pii()) {
                labels.add("PII");
            }
            if (p.classification() != null && !p.classification().isBlank()) {
                labels.add(p.classification().toUpperCase(java.util.Locale.ROOT));
            }
            if (!labels.isEmpty()) {
                ArrayNode a = tags.putArray(record + "." + p.path().replace("[]", ""));
                labels.forEach(a::add);
            }
            tag(tags, record, p.children());
        }
    }
}
