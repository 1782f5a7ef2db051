package io.backbone.contract.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import io.backbone.contract.CompiledContract;
import io.backbone.contract.Correction;
import io.backbone.contract.DataContract;
import io.backbone.contract.FieldPath;
import io.backbone.contract.Mask;
import io.backbone.contract.MaskingPolicy;
import io.backbone.contract.PropertySpec;
import io.backbone.contract.QualitySpec;
import io.backbone.contract.RecordRule;
import io.backbone.contract.ServiceLevels;
import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.avro.Schema;

/**
 * Turns an ODCS contract into per-record rules against its Avro schema. Everything that could fail at run time
 * (a field the schema lacks, a bad pattern, a CEL expression that does not compile) is a problem here, at load time.
 */
public final class ContractCompiler {
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$");
    static final Pattern UUID = io.backbone.contract.rules.PatternRule.UUID;
    private static final Set<String> OPTIONS = Set.of(
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "pattern",
            "minLength",
            "maxLength",
            "format");
    /** Audiences no wider than the owning domain see PII unmasked. */
    private ContractCompiler() {}

    /** Compiles {@code contract} against {@code schema}; null with {@code problems} filled if it cannot be used. */
    public static CompiledContract compile(DataContract contract, Schema schema, List<Problem> problems) {
        int before = problems.size();
        YamlDocument doc = contract.document();
        List<RecordRule> rules = new ArrayList<>();
        List<Mask> masks = new ArrayList<>();
        List<Correction> corrections = new ArrayList<>();
        FieldPath[] dedup = new FieldPath[1];
        boolean widerThanDomain = contract.widerThanDomain();
        for (PropertySpec p : contract.properties()) {
            compileProperty(doc, schema, p, widerThanDomain, rules, masks, corrections, dedup, problems);
        }
        for (QualitySpec q : contract.quality()) {
            RecordRule rule = compileRecordQuality(doc, q, schema, problems);
            if (rule != null) {
                rules.add(rule);
            }
        }
        Duration window = Duration.ofHours(24);
        String windowText = contract.custom("dedupWindow", null);
        if (windowText != null) {
            try {
                window = Duration.parse(windowText);
            } catch (DateTimeParseException e) {
                problems.add(doc.problem(
                        "$.customProperties",
                        "dedupWindow '" + windowText + "' is not an ISO-8601 duration",
                        "write it like PT24H or PT15M"));
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new CompiledContract(
                contract, schema, List.copyOf(rules), List.copyOf(masks), dedup[0], window, List.copyOf(corrections));
    }

    /** Audiences other than the owning domain's own (the default audience is the whole company). */
    private static void compileProperty(
            YamlDocument doc,
            Schema schema,
            PropertySpec p,
            boolean widerThanDomain,
            List<RecordRule> rules,
            List<Mask> masks,
            List<Correction> corrections,
            FieldPath[] dedup,
            List<Problem> problems) {
        FieldPath field;
        try {
            field = FieldPath.resolve(schema, p.path());
        } catch (IllegalArgumentException e) {
            problems.add(doc.problem(
                    p.yamlPath() + ".name",
                    "property '" + p.path() + "' is not in Avro schema " + schema.getFullName() + ": " + e.getMessage(),
                    "name an existing field, or add the field to the .avsc first"));
            return;
        }
        boolean pii = p.pii();
        if (p.required() && field.leafNullable()) {
            rules.add(new RequiredRule("required", field, Stage.SCHEMA, Severity.ERROR));
        }
        if (p.unique()) {
            dedup[0] = field;
        }
        Correction correction = Corrections.compile(doc, p, field, problems);
        if (correction != null) {
            corrections.add(correction);
        }
        compileOptions(doc, p, field, pii, rules, problems);
        for (QualitySpec q : p.quality()) {
            compilePropertyQuality(doc, p, field, pii, q, rules, dedup, problems);
        }
        if (pii) {
            MaskingPolicy policy = MaskingPolicy.parse(p.masking());
            if (policy == null) {
                problems.add(doc.problem(
                        "pii-masking",
                        p.yamlPath() + ".customProperties",
                        "PII property '" + p.path() + "' has " + (p.masking() == null ? "no" : "an unknown")
                                + " masking policy" + (p.masking() == null ? "" : " '" + p.masking() + "'"),
                        "add customProperties: [{property: masking, value: hash|redact|drop|keep}]"));
            } else if (widerThanDomain && policy != MaskingPolicy.KEEP) {
                if (policy != MaskingPolicy.DROP && field.leafSchema().getType() != Schema.Type.STRING) {
                    problems.add(doc.problem(
                            p.yamlPath(),
                            "masking '" + policy.code() + "' needs a string field, '" + p.path() + "' is "
                                    + field.leafSchema().getType(),
                            "mask the string fields inside it, or use drop on an optional field"));
                } else if (policy == MaskingPolicy.DROP && !field.leafNullable()) {
                    problems.add(doc.problem(
                            p.yamlPath(),
                            "masking 'drop' needs an optional field, '" + p.path() + "' cannot be null",
                            "use hash or redact, or make the Avro field nullable"));
                } else {
                    masks.add(new Mask(field, policy));
                }
            }
        }
        for (PropertySpec child : p.children()) {
            compileProperty(doc, schema, child, widerThanDomain, rules, masks, corrections, dedup, problems);
        }
    }

    private static void compileOptions(
            YamlDocument doc,
            PropertySpec p,
            FieldPath field,
            boolean pii,
            List<RecordRule> rules,
            List<Problem> problems) {
        JsonNode options = p.logicalTypeOptions();
        if (options == null || !options.isObject()) {
            return;
        }
        String at = p.yamlPath() + ".logicalTypeOptions";
        for (Iterator<String> it = options.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            JsonNode v = options.get(key);
            String here = at + "." + key;
            switch (key) {
                case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" -> {
                    if (!v.isNumber()) {
                        problems.add(doc.problem(
                                here, key + " must be a number, was '" + v.asText() + "'", "write a number"));
                    } else {
                        boolean lower = key.toLowerCase().contains("minimum");
                        rules.add(new RangeRule(
                                field,
                                new BigDecimal(v.asText()),
                                lower,
                                key.startsWith("exclusive"),
                                Severity.ERROR,
                                pii));
                    }
                }
                case "minLength", "maxLength" -> {
                    if (!v.canConvertToInt() || v.asInt() < 0) {
                        problems.add(doc.problem(here, key + " must be a whole number >= 0", "write e.g. 1"));
                    } else {
                        rules.add(new LengthRule(field, v.asInt(), key.equals("minLength"), Severity.ERROR, pii));
                    }
                }
                case "pattern" -> {
                    try {
                        rules.add(new PatternRule(
                                "pattern",
                                field,
                                Pattern.compile(v.asText()),
                                "matching " + v.asText(),
                                Stage.SCHEMA,
                                Severity.ERROR,
                                pii));
                    } catch (PatternSyntaxException e) {
                        problems.add(doc.problem(
                                here,
                                "pattern does not compile: " + e.getDescription(),
                                "write a Java/ECMA regular expression"));
                    }
                }
                case "format" -> {
                    switch (v.asText()) {
                        case "email" ->
                            rules.add(new PatternRule(
                                    "format", field, EMAIL, "an e-mail address", Stage.SCHEMA, Severity.ERROR, pii));
                        case "uuid" ->
                            rules.add(new PatternRule(
                                    "format", field, UUID, "a UUID", Stage.SCHEMA, Severity.ERROR, pii));
                        case "i32", "i64" -> {
                            // integer widths: what type the value has, not a check; lint holds them against Avro
                        }
                        default ->
                            problems.add(doc.problem(
                                    here,
                                    "format '" + v.asText() + "' is not supported",
                                    "use email or uuid (checked), i32 or i64 (integer widths), or a pattern"));
                    }
                }
                default -> {
                    if (!OPTIONS.contains(key)) {
                        problems.add(doc.problem(
                                here,
                                "logicalTypeOptions." + key + " is not enforced by the backbone",
                                "use one of " + new java.util.TreeSet<>(OPTIONS)));
                    }
                }
            }
        }
    }

    private static void compilePropertyQuality(
            YamlDocument doc,
            PropertySpec p,
            FieldPath field,
            boolean pii,
            QualitySpec q,
            List<RecordRule> rules,
            FieldPath[] dedup,
            List<Problem> problems) {
        if ("text".equals(q.type())) {
            return; // prose for people, nothing to run
        }
        Severity severity = severity(doc, q, problems);
        if (severity == null) {
            return;
        }
        if (!"library".equals(q.type()) || q.metric() == null) {
            problems.add(doc.problem(
                    q.yamlPath(),
                    "property-level quality must be a library metric",
                    "use metric: invalidValues, nullValues, missingValues or duplicateValues"));
            return;
        }
        JsonNode mustBe = q.node().get("mustBe");
        if (!"duplicateValues".equals(q.metric()) && (mustBe == null || mustBe.asDouble(-1) != 0)) {
            problems.add(doc.problem(q.yamlPath(), "a per-record check needs mustBe: 0", "add mustBe: 0"));
            return;
        }
        String name = q.name() != null ? q.name() : p.path() + "." + q.metric();
        switch (q.metric()) {
            case "nullValues" -> rules.add(new RequiredRule(q.metric(), field, Stage.QUALITY, severity));
            case "missingValues" -> {
                rules.add(new RequiredRule(q.metric(), field, Stage.QUALITY, severity));
                rules.add(new PatternRule(
                        q.metric() + ".blank",
                        field,
                        Pattern.compile("\\S"),
                        "blank-free",
                        Stage.QUALITY,
                        severity,
                        pii));
            }
            case "invalidValues" -> {
                JsonNode args = q.node().path("arguments");
                if (args.path("validValues").isArray()) {
                    Set<String> valid = new HashSet<>();
                    args.path("validValues").forEach(v -> valid.add(v.asText()));
                    Schema leaf = FieldPath.nonNull(field.leafSchema());
                    // over an Avro enum whose every symbol is valid, the rule documents the values (ODCS tools
                    // read them as the enum's symbols) and nothing needs checking per record
                    if (leaf.getType() != Schema.Type.ENUM || !valid.containsAll(leaf.getEnumSymbols())) {
                        rules.add(new ValidValuesRule(q.metric(), field, valid, Stage.QUALITY, severity, pii));
                    }
                } else if (args.path("pattern").isTextual()) {
                    try {
                        rules.add(new PatternRule(
                                q.metric(),
                                field,
                                Pattern.compile(args.path("pattern").asText()),
                                "matching " + args.path("pattern").asText(),
                                Stage.QUALITY,
                                severity,
                                pii));
                    } catch (PatternSyntaxException e) {
                        problems.add(doc.problem(
                                q.yamlPath() + ".arguments.pattern",
                                "pattern does not compile: " + e.getDescription(),
                                "fix the regular expression"));
                    }
                } else {
                    problems.add(doc.problem(
                            q.yamlPath(),
                            "invalidValues needs arguments.validValues or arguments.pattern",
                            "add arguments: {validValues: [...]}"));
                }
            }
            case "duplicateValues" -> dedup[0] = field;
            default ->
                problems.add(doc.problem(
                        q.yamlPath() + ".metric",
                        "metric '" + q.metric() + "' cannot be checked on one record",
                        "use invalidValues, nullValues, missingValues or duplicateValues"));
        }
        if (name.isEmpty()) {
            problems.add(doc.problem(q.yamlPath(), "rule has an empty name", "give it a name"));
        }
    }

    private static RecordRule compileRecordQuality(
            YamlDocument doc, QualitySpec q, Schema schema, List<Problem> problems) {
        if ("text".equals(q.type())) {
            return null;
        }
        Severity severity = severity(doc, q, problems);
        if (severity == null) {
            return null;
        }
        if (ServiceLevels.isDeadLetterThreshold(q)) {
            return null; // checked per status window, not per record
        }
        if (!"custom".equals(q.type()) || !"cel".equalsIgnoreCase(q.engine())) {
            problems.add(doc.problem(
                    q.yamlPath(),
                    "record-level quality of type '" + q.type() + "' cannot be enforced in the stream",
                    "write it as type: custom, engine: cel, implementation: <boolean CEL expression over record>, or as a"
                            + " window threshold {metric: invalidValues, unit: percent, mustBeLessThan: <percent>}"));
            return null;
        }
        if (q.name() == null) {
            problems.add(doc.problem(
                    q.yamlPath(),
                    "CEL rule has no name",
                    "add name: <kebab-case rule name>; it appears in DLQ headers"));
            return null;
        }
        try {
            return new CelRule(
                    q.name(), q.implementation(), CelEnvironment.compile(q.implementation(), schema), severity);
        } catch (IllegalArgumentException e) {
            problems.add(doc.problem(
                    "cel",
                    q.yamlPath() + ".implementation",
                    "CEL expression does not compile: " + e.getMessage().replace('\n', ' '),
                    "fix the expression; fields are record.<name>, optional ones need has(record.<name>)"));
            return null;
        }
    }

    private static Severity severity(YamlDocument doc, QualitySpec q, List<Problem> problems) {
        Severity severity = Severity.parse(q.severity());
        if (severity == null) {
            problems.add(doc.problem(
                    q.yamlPath() + ".severity", "severity '" + q.severity() + "' is unknown", "use error or warning"));
        }
        return severity;
    }
}
