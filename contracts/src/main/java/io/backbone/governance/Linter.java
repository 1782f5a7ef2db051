package io.backbone.governance;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.catalog.CatalogException;
import io.backbone.catalog.CatalogSource;
import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import io.backbone.contract.Lifecycle;
import io.backbone.contract.ServiceLevels;
import io.backbone.product.ProductCatalog;
import io.backbone.product.TopicNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code backbone lint}: everything the catalog loader rejects (YAML, the ODCS/ODPS JSON Schemas, topic names,
 * fields and CEL rules that do not compile, PII without masking) plus the global policy (owner, description,
 * product compatibility, retention bounds, quality rules per product). All problems at once, in file and line order.
 */
public final class Linter {
    private Linter() {}

    /**
     * Warns of a date written without quotes: this project reads it as text, but a YAML 1.1 reader (PyYAML, which the
     * Python ODCS tools use) loads it as a date, and the official ODCS JSON Schema then rejects the whole contract.
     */
    static void unquotedTimestamps(YamlDocument doc, Set<Problem> problems) {
        for (String path : doc.unquotedTimestamps()) {
            String value = doc.at(path).asText();
            problems.add(doc.problem(
                            "yaml",
                            path,
                            "the date " + value + " is not quoted: YAML 1.1 readers (PyYAML) load it as a"
                                    + " timestamp, which the ODCS JSON Schema rejects",
                            "quote it: \"" + value + "\"")
                    .asWarning());
        }
    }

    public static List<Problem> lint(CatalogSource source, GovernancePolicy policy) {
        Set<Problem> problems = new LinkedHashSet<>();
        ProductCatalog catalog = null;
        try {
            catalog = ProductCatalog.load(source);
        } catch (CatalogException e) {
            problems.addAll(e.problems());
        }
        try {
            io.backbone.access.AccessModel access = io.backbone.access.AccessModel.load(source);
            if (access != null) {
                problems.addAll(catalog == null ? access.problems() : access.check(catalog));
            }
        } catch (CatalogException e) {
            problems.addAll(e.problems());
        }
        // an entity product's topic is compacted: it keeps the latest state of every key, so no retention applies
        // (read from the descriptors themselves, so that it holds while another file keeps the catalog from loading)
        Set<String> entityContracts = new java.util.HashSet<>();
        for (String file : source.files(".odps.yaml")) {
            YamlDocument doc = parse(source, file);
            for (JsonNode port : doc == null ? List.<JsonNode>of() : doc.root().path("outputPorts")) {
                if (customProperty(port.path("customProperties"), io.backbone.product.EntitySpec.PROPERTY) != null) {
                    entityContracts.add(port.path("contractId").asText());
                }
            }
        }
        Map<String, String> statusById = new java.util.HashMap<>();
        for (String file : source.files(".odcs.yaml")) {
            YamlDocument doc = parse(source, file);
            if (doc != null && doc.root().hasNonNull("id")) {
                statusById.put(
                        doc.root().path("id").asText(),
                        doc.root().path("status").asText("active"));
            }
        }
        for (String file : source.files(".odcs.yaml")) {
            YamlDocument doc = parse(source, file);
            if (doc != null) {
                contractPolicies(doc, policy, entityContracts, problems);
                lifecycle(doc, policy, statusById, problems);
                problems.addAll(io.backbone.catalog.StandardSchemas.deprecatedFields(doc));
                avroBinding(source, doc, policy, problems);
                unquotedTimestamps(doc, problems);
            }
        }
        for (String file : source.files(".odps.yaml")) {
            YamlDocument doc = parse(source, file);
            if (doc != null) {
                common(doc, policy, problems);
            }
        }
        if (catalog != null) {
            portable(catalog, problems);
        }
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing(Problem::file)
                .thenComparingInt(Problem::line)
                .thenComparing(Problem::policy));
        return sorted;
    }

    /**
     * Warns of every rule of a raw stream's contract that provision cannot publish to Confluent's serializers (it uses
     * a function only the backbone has or a regex feature RE2 lacks, or checks a value corrected in a way CEL cannot
     * repeat): those are enforced by the backbone only.
     */
    private static void portable(ProductCatalog catalog, Set<Problem> problems) {
        Set<String> seen = new java.util.HashSet<>();
        for (io.backbone.product.DataProduct p : catalog.products()) {
            if (p.join() != null || !seen.add(p.input().id())) {
                continue;
            }
            YamlDocument doc = p.input().contract().document();
            for (io.backbone.contract.export.ConfluentContract.Skipped s :
                    io.backbone.contract.export.ConfluentContract.of(p.input()).skipped()) {
                problems.add(doc.problem(
                                "portable",
                                ruleLocation(doc, s.rule()),
                                "rule '" + s.rule() + "' is enforced by the backbone only, not by producers' Confluent"
                                        + " serializers: " + s.reason(),
                                s.reason().startsWith("the backbone corrects")
                                        ? "nothing to do if producers may send values the backbone corrects; to have"
                                                + " their serializers check it too, correct the field only with "
                                                + io.backbone.contract.normalise.Normaliser.PORTABLE_KINDS
                                                + " (CEL repeats those) or check a field nothing corrects"
                                        : "keep it (the backbone dead-letters what breaks it), or write it with CEL's"
                                                + " standard functions and RE2 syntax so that provision can export it")
                        .asWarning());
            }
        }
    }

    /** Where rule {@code name} is written: a quality rule of that name, else the schema. */
    private static String ruleLocation(YamlDocument doc, String name) {
        JsonNode quality = doc.root().path("schema").path(0).path("quality");
        for (int i = 0; i < quality.size(); i++) {
            if (name.equals(quality.get(i).path("name").asText())) {
                return "$.schema[0].quality[" + i + "]";
            }
        }
        return "$.schema[0]";
    }

    private static YamlDocument parse(CatalogSource source, String file) {
        try {
            return YamlDocument.parse(source.display(file), source.read(file));
        } catch (CatalogException alreadyReportedByTheLoader) {
            return null;
        }
    }

    private static void common(YamlDocument doc, GovernancePolicy policy, Set<Problem> problems) {
        JsonNode root = doc.root();
        if (policy.requireOwner()) {
            JsonNode team = root.path("team");
            boolean owner = !team.path("name").asText("").isBlank();
            for (JsonNode m : team.path("members")) {
                owner |= "owner".equalsIgnoreCase(m.path("role").asText());
            }
            if (!owner) {
                problems.add(doc.problem(
                        "owner",
                        "$",
                        "no owning team",
                        "add team: {name: <team>, members: [{username: <id>, role: owner}]}"));
            }
        }
        if (policy.requireDescription()
                && root.path("description").path("purpose").asText("").isBlank()) {
            problems.add(
                    doc.problem("description", "$", "no description.purpose", "say in one sentence what this is for"));
        }
    }

    private static void contractPolicies(
            YamlDocument doc, GovernancePolicy policy, Set<String> entityContracts, Set<Problem> problems) {
        common(doc, policy, problems);
        JsonNode root = doc.root();
        String topic = root.path("schema").path(0).path("physicalName").asText(null);
        boolean product = "product".equals(TopicNames.kind(topic));
        JsonNode custom = customProperty(root.path("customProperties"), "compatibility");
        String compatibility = custom == null ? null : custom.asText();
        if (product && (compatibility == null || !policy.productCompatibility().contains(compatibility))) {
            problems.add(doc.problem(
                    "compatibility",
                    "$.customProperties",
                    "product compatibility is " + (compatibility == null ? "not set" : compatibility)
                            + ", policy allows " + policy.productCompatibility(),
                    "add customProperties: [{property: compatibility, value: BACKWARD}]"));
        }
        JsonNode retention = null;
        int i = 0;
        for (JsonNode sla : root.path("slaProperties")) {
            if ("retention".equals(sla.path("property").asText())) {
                retention = sla;
                break;
            }
            i++;
        }
        boolean compacted = entityContracts.contains(root.path("id").asText());
        if (retention == null && !compacted) {
            problems.add(doc.problem(
                    "retention", "$", "no slaProperties retention", "add {property: retention, value: 30, unit: d}"));
        } else if (retention != null) {
            double days = days(retention);
            if (days < policy.minRetentionDays() || days > policy.maxRetentionDays()) {
                problems.add(doc.problem(
                        "retention",
                        "$.slaProperties[" + i + "]",
                        "retention of " + formatDays(days) + " days is outside the policy's "
                                + policy.minRetentionDays() + ".." + policy.maxRetentionDays() + " days",
                        "choose a retention within the bounds, or change the policy with the platform team"));
            }
        }
        if (product) {
            int rules = root.path("schema").path(0).path("quality").size();
            for (JsonNode p : root.path("schema").path(0).path("properties")) {
                rules += countQuality(p);
            }
            if (rules < policy.minQualityRulesPerProduct()) {
                problems.add(doc.problem(
                        "quality-rules",
                        "$.schema[0]",
                        "product has " + rules + " quality rule(s), the policy asks for at least "
                                + policy.minQualityRulesPerProduct(),
                        "add a quality rule: a library metric on a property or a type: custom, engine: cel rule"));
            }
        }
    }

    /**
     * A contract's status is one ODCS names; a deprecated one names its successor (a contract of the catalog that is
     * not retired), the day it was deprecated and a sunset at least the policy's notice later.
     */
    private static void lifecycle(
            YamlDocument doc, GovernancePolicy policy, Map<String, String> statusById, Set<Problem> problems) {
        JsonNode root = doc.root();
        String status = root.path("status").asText("active");
        if (!Lifecycle.STATUSES.contains(status)) {
            problems.add(doc.problem(
                    "lifecycle",
                    "$.status",
                    "status '" + status + "' is not one of " + Lifecycle.STATUSES,
                    "write active, or deprecated with deprecatedOn, sunset and successor"));
            return;
        }
        JsonNode custom = root.path("customProperties");
        if (!"deprecated".equals(status)) {
            for (String key : List.of(Lifecycle.DEPRECATED_ON, Lifecycle.SUNSET, Lifecycle.SUCCESSOR)) {
                if (customProperty(custom, key) != null) {
                    problems.add(doc.problem(
                            "lifecycle",
                            "$.customProperties",
                            key + " is set but the status is " + status,
                            "set status: deprecated, or remove " + key));
                }
            }
            return;
        }
        String id = root.path("id").asText();
        LocalDateCheck on = date(custom, Lifecycle.DEPRECATED_ON);
        LocalDateCheck sunset = date(custom, Lifecycle.SUNSET);
        for (LocalDateCheck d : List.of(on, sunset)) {
            if (d.date == null) {
                problems.add(doc.problem(
                        "lifecycle",
                        "$.customProperties",
                        "a deprecated contract needs " + d.key
                                + (d.text == null ? "" : ", and '" + d.text + "' is not an ISO date"),
                        "add {property: " + d.key + ", value: \"2027-01-31\"} (an ISO date, quoted)"));
            }
        }
        if (on.date != null && sunset.date != null) {
            long days = java.time.temporal.ChronoUnit.DAYS.between(on.date, sunset.date);
            if (days < policy.deprecationNoticeDays()) {
                problems.add(doc.problem(
                        "lifecycle",
                        "$.customProperties",
                        "sunset " + sunset.date + " is " + days + " day(s) after deprecatedOn " + on.date
                                + "; the policy gives consumers at least " + policy.deprecationNoticeDays() + " days",
                        "set sunset on or after " + on.date.plusDays(policy.deprecationNoticeDays())));
            }
        }
        JsonNode successor = customProperty(custom, Lifecycle.SUCCESSOR);
        String next = successor == null ? null : successor.asText();
        if (next == null || next.isBlank()) {
            problems.add(doc.problem(
                    "lifecycle",
                    "$.customProperties",
                    "a deprecated contract names no successor: its consumers are not told where to go",
                    "add {property: successor, value: <id of the contract that replaces it>}"));
        } else if (next.equals(id) || !statusById.containsKey(next)) {
            problems.add(doc.problem(
                    "lifecycle",
                    "$.customProperties",
                    "successor '" + next + "' is " + (next.equals(id) ? "this contract itself" : "not in the catalog"),
                    "name the id of the contract that replaces it (the product's next major)"));
        } else if ("retired".equals(statusById.get(next))) {
            problems.add(doc.problem(
                    "lifecycle",
                    "$.customProperties",
                    "successor '" + next + "' is retired",
                    "name an active contract"));
        }
    }

    private record LocalDateCheck(String key, String text, java.time.LocalDate date) {}

    private static LocalDateCheck date(JsonNode custom, String key) {
        JsonNode v = customProperty(custom, key);
        String text = v == null || v.isNull() ? null : v.asText();
        java.time.LocalDate date = null;
        if (text != null) {
            try {
                date = java.time.LocalDate.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                // reported by the caller, with the text
            }
        }
        return new LocalDateCheck(key, text, date);
    }

    private static int countQuality(JsonNode property) {
        int n = property.path("quality").size();
        for (JsonNode child : property.path("properties")) {
            n += countQuality(child);
        }
        for (JsonNode child : property.path("items").path("properties")) {
            n += countQuality(child);
        }
        return n;
    }

    private static JsonNode customProperty(JsonNode list, String name) {
        for (JsonNode c : list) {
            if (name.equals(c.path("property").asText())) {
                return c.path("value");
            }
        }
        return null;
    }

    private static double days(JsonNode sla) {
        return ServiceLevels.duration(sla).toMillis() / 86_400_000.0;
    }

    private static String formatDays(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** The contract against its Avro schema, when both load (the loader reports them when they do not). */
    private static void avroBinding(
            CatalogSource source, YamlDocument doc, GovernancePolicy policy, Set<Problem> problems) {
        java.util.List<Problem> ignored = new ArrayList<>();
        io.backbone.contract.DataContract contract = io.backbone.contract.ContractParser.parse(doc, ignored);
        if (contract == null || contract.avroSchemaRef() == null) {
            return;
        }
        org.apache.avro.Schema schema;
        try {
            schema = new org.apache.avro.Schema.Parser().parse(source.read(contract.avroSchemaRef()));
        } catch (RuntimeException alreadyReportedByTheLoader) {
            return;
        }
        List<Problem> found = new ArrayList<>();
        AvroBinding.check(doc, contract, schema, found);
        found.forEach(p -> problems.add(policy.avroBindingIsError() ? p : p.asWarning()));
    }
}
