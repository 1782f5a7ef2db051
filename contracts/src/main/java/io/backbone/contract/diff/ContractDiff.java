package io.backbone.contract.diff;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.contract.DataContract;
import io.backbone.contract.FieldPath;
import io.backbone.contract.PropertySpec;
import io.backbone.contract.QualitySpec;
import io.backbone.contract.ServiceLevels;
import io.backbone.product.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Compares two versions of a contract (with their Avro schemas) and classifies every change. Breaking means that
 * someone who relied on the old version is now wrong: consumers lose a field, a guarantee or a service level, or
 * can no longer read the data under the subject's compatibility mode. Tightened or added rules are not breaking for
 * consumers (they receive a subset) but mean more dead letters for producers, so they are reported as such.
 */
public final class ContractDiff {
    /** The version bump a set of changes needs. */
    public enum Bump {
        NONE,
        MINOR,
        MAJOR
    }

    /** Every change, the bump it needs and, for a breaking product change, the topic the new version belongs on. */
    public record Result(List<Change> changes, Bump bump, String nextTopic) {
        public boolean breaking() {
            return bump == Bump.MAJOR;
        }
    }

    private final List<Change> changes = new ArrayList<>();

    private ContractDiff() {}

    public static Result diff(DataContract oldContract, Schema oldSchema, DataContract newContract, Schema newSchema) {
        ContractDiff d = new ContractDiff();
        String mode = newContract.custom("compatibility", oldContract.custom("compatibility", "BACKWARD"));
        d.schema(oldSchema, newSchema, mode, "");
        d.compatibility(
                oldContract.custom("compatibility", "BACKWARD"), newContract.custom("compatibility", "BACKWARD"));
        d.properties(flatten(oldContract.properties()), flatten(newContract.properties()));
        d.quality(oldContract.quality(), newContract.quality(), "");
        d.serviceLevels(oldContract, newContract);
        Bump bump = d.changes.stream().anyMatch(Change::breaking)
                ? Bump.MAJOR
                : d.changes.isEmpty() ? Bump.NONE : Bump.MINOR;
        return new Result(List.copyOf(d.changes), bump, bump == Bump.MAJOR ? nextMajor(newContract.topic()) : null);
    }

    private void add(Change.Kind kind, String where, String description, boolean breaking, String affects) {
        changes.add(new Change(kind, where, description, breaking, affects));
    }

    // ---- schema -------------------------------------------------------------------------------------------------

    private void schema(Schema oldSchema, Schema newSchema, String mode, String prefix) {
        Schema o = FieldPath.nonNull(oldSchema);
        Schema n = FieldPath.nonNull(newSchema);
        if (o.getType() != Schema.Type.RECORD || n.getType() != Schema.Type.RECORD) {
            return;
        }
        List<Schema.Field> removed = new ArrayList<>();
        for (Schema.Field f : o.getFields()) {
            if (n.getField(f.name()) == null && !aliased(n, f.name())) {
                removed.add(f);
            }
        }
        List<Schema.Field> added = new ArrayList<>();
        for (Schema.Field f : n.getFields()) {
            Schema.Field before = o.getField(f.name());
            if (before == null) {
                before = aliasOf(o, f);
            }
            if (before == null) {
                added.add(f);
            } else {
                fieldType(prefix + f.name(), before.schema(), f.schema(), mode);
            }
        }
        for (Schema.Field r : new ArrayList<>(removed)) {
            Schema.Field renamed = added.stream()
                    .filter(a -> a.schema().equals(r.schema()) && a.pos() == r.pos())
                    .findFirst()
                    .orElse(null);
            if (renamed != null) {
                added.remove(renamed);
                removed.remove(r);
                add(
                        Change.Kind.FIELD_RENAMED,
                        prefix + r.name(),
                        "renamed to '" + renamed.name()
                                + "' without an alias: readers of either version lose the value",
                        true,
                        "consumers");
            }
        }
        for (Schema.Field r : removed) {
            add(Change.Kind.FIELD_REMOVED, prefix + r.name(), "consumers reading it lose it", true, "consumers");
        }
        for (Schema.Field a : added) {
            boolean hasDefault = a.hasDefaultValue();
            boolean breaks = !hasDefault && (mode.startsWith("BACKWARD") || mode.startsWith("FULL"));
            add(
                    Change.Kind.FIELD_ADDED,
                    prefix + a.name(),
                    hasDefault
                            ? "optional (has a default): old records still read"
                            : "required without a default: records written before cannot be read under " + mode,
                    breaks,
                    "consumers");
        }
    }

    private void fieldType(String where, Schema oldType, Schema newType, String mode) {
        Schema o = FieldPath.nonNull(oldType);
        Schema n = FieldPath.nonNull(newType);
        if (o.getType() == Schema.Type.RECORD && n.getType() == Schema.Type.RECORD) {
            schema(o, n, mode, where + ".");
            return;
        }
        if (o.equals(n)) {
            return;
        }
        boolean newReadsOld = compatible(n, o);
        boolean oldReadsNew = compatible(o, n);
        boolean ok =
                switch (mode.replace("_TRANSITIVE", "")) {
                    case "BACKWARD" -> newReadsOld;
                    case "FORWARD" -> oldReadsNew;
                    case "FULL" -> newReadsOld && oldReadsNew;
                    default -> true;
                };
        add(
                Change.Kind.TYPE_CHANGED,
                where,
                describe(o) + " → " + describe(n)
                        + (newReadsOld && !oldReadsNew
                                ? " (widening)"
                                : !newReadsOld && oldReadsNew ? " (narrowing)" : "")
                        + (ok ? ", compatible under " + mode : ", incompatible under " + mode),
                !ok,
                "consumers");
    }

    private static boolean compatible(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                        .getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    private static String describe(Schema s) {
        return s.getLogicalType() == null
                ? s.getType().getName()
                : s.getType().getName() + "/" + s.getLogicalType().getName();
    }

    private static boolean aliased(Schema record, String oldName) {
        return record.getFields().stream().anyMatch(f -> f.aliases().contains(oldName));
    }

    private static Schema.Field aliasOf(Schema oldRecord, Schema.Field newField) {
        return newField.aliases().stream()
                .map(oldRecord::getField)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    // ---- contract ----------------------------------------------------------------------------------------------

    private void compatibility(String oldMode, String newMode) {
        if (oldMode.equals(newMode)) {
            return;
        }
        boolean weaker = strength(newMode) < strength(oldMode);
        add(
                Change.Kind.COMPATIBILITY_CHANGED,
                "customProperties.compatibility",
                oldMode + " → " + newMode
                        + (weaker
                                ? ": consumers lose the guarantee that future versions stay readable"
                                : ": stricter evolution"),
                weaker,
                "consumers");
    }

    private static int strength(String mode) {
        int base =
                switch (mode.replace("_TRANSITIVE", "")) {
                    case "NONE" -> 0;
                    case "BACKWARD", "FORWARD" -> 2;
                    case "FULL" -> 4;
                    default -> 0;
                };
        return base + (mode.endsWith("_TRANSITIVE") ? 1 : 0);
    }

    private void properties(Map<String, PropertySpec> olds, Map<String, PropertySpec> news) {
        for (Map.Entry<String, PropertySpec> e : news.entrySet()) {
            PropertySpec o = olds.get(e.getKey());
            PropertySpec n = e.getValue();
            String where = e.getKey();
            if (o == null) {
                o = new PropertySpec(
                        n.name(), n.path(), "", null, false, false, null, null, Map.of(), List.of(), List.of());
            }
            if (!o.required() && n.required()) {
                add(
                        Change.Kind.RULE_TIGHTENED,
                        where + ".required",
                        "now required: records without it are dead-lettered",
                        false,
                        "producers");
            } else if (o.required() && !n.required()) {
                add(
                        Change.Kind.RULE_LOOSENED,
                        where + ".required",
                        "no longer required: consumers may now see it missing",
                        true,
                        "consumers");
            }
            bound(where, "minimum", o, n, true);
            bound(where, "exclusiveMinimum", o, n, true);
            bound(where, "maximum", o, n, false);
            bound(where, "exclusiveMaximum", o, n, false);
            bound(where, "minLength", o, n, true);
            bound(where, "maxLength", o, n, false);
            for (String key : List.of("pattern", "format")) {
                String ov = option(o, key);
                String nv = option(n, key);
                if (!Objects.equals(ov, nv)) {
                    if (ov == null) {
                        add(
                                Change.Kind.RULE_ADDED,
                                where + "." + key,
                                key + " " + nv + " added: records that passed may now be dead-lettered",
                                false,
                                "producers");
                    } else if (nv == null) {
                        add(
                                Change.Kind.RULE_DROPPED,
                                where + "." + key,
                                key + " " + ov + " dropped: consumers lose that guarantee",
                                true,
                                "consumers");
                    } else {
                        add(
                                Change.Kind.RULE_CHANGED,
                                where + "." + key,
                                ov + " → " + nv + ": neither a subset nor a superset can be assumed",
                                true,
                                "consumers and producers");
                    }
                }
            }
            quality(o.quality(), n.quality(), where + ".");
            if (o.pii() != n.pii()
                    || !Objects.equals(o.masking(), n.masking())
                    || !Objects.equals(o.classification(), n.classification())) {
                add(
                        Change.Kind.CLASSIFICATION_CHANGED,
                        where,
                        describeClassification(o) + " → " + describeClassification(n)
                                + ": the values consumers receive change",
                        true,
                        "consumers");
            }
        }
        for (Map.Entry<String, PropertySpec> e : olds.entrySet()) {
            if (!news.containsKey(e.getKey())) {
                PropertySpec o = e.getValue();
                if (o.required()
                        || o.logicalTypeOptions() != null
                                && o.logicalTypeOptions().size() > 0
                        || !o.quality().isEmpty()) {
                    add(
                            Change.Kind.RULE_DROPPED,
                            e.getKey(),
                            "the property's rules are gone: consumers lose those guarantees",
                            true,
                            "consumers");
                }
                if (o.pii()) {
                    add(
                            Change.Kind.CLASSIFICATION_CHANGED,
                            e.getKey(),
                            "no longer classified as PII: it would pass unmasked",
                            true,
                            "consumers");
                }
            }
        }
    }

    private void bound(String where, String key, PropertySpec o, PropertySpec n, boolean lower) {
        JsonNode ov =
                o.logicalTypeOptions() == null ? null : o.logicalTypeOptions().get(key);
        JsonNode nv =
                n.logicalTypeOptions() == null ? null : n.logicalTypeOptions().get(key);
        if (ov == null && nv == null
                || ov != null && nv != null && ov.decimalValue().compareTo(nv.decimalValue()) == 0) {
            return;
        }
        boolean tighter;
        if (ov == null) {
            tighter = true;
        } else if (nv == null) {
            tighter = false;
        } else {
            int cmp = nv.decimalValue().compareTo(ov.decimalValue());
            tighter = lower ? cmp > 0 : cmp < 0;
        }
        String what = key + " " + (ov == null ? "(none)" : ov.asText()) + " → " + (nv == null ? "(none)" : nv.asText());
        if (tighter) {
            add(
                    Change.Kind.RULE_TIGHTENED,
                    where + "." + key,
                    what + ": records that passed may now be dead-lettered",
                    false,
                    "producers");
        } else {
            add(
                    Change.Kind.RULE_LOOSENED,
                    where + "." + key,
                    what + ": consumers may now receive values the old version excluded",
                    true,
                    "consumers");
        }
    }

    private static String option(PropertySpec p, String key) {
        JsonNode v =
                p.logicalTypeOptions() == null ? null : p.logicalTypeOptions().get(key);
        return v == null ? null : v.asText();
    }

    private static String describeClassification(PropertySpec p) {
        return p.pii()
                ? "PII, masking " + p.masking()
                : p.classification() == null ? "not classified" : p.classification();
    }

    private void quality(List<QualitySpec> olds, List<QualitySpec> news, String prefix) {
        Map<String, QualitySpec> o = byName(olds);
        Map<String, QualitySpec> n = byName(news);
        // the same rule under a new name is a rename, not a drop and an add
        for (String oldName : new ArrayList<>(o.keySet())) {
            if (n.containsKey(oldName)) {
                continue;
            }
            String renamed = n.entrySet().stream()
                    .filter(e -> !o.containsKey(e.getKey())
                            && withoutName(e.getValue()).equals(withoutName(o.get(oldName))))
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse(null);
            if (renamed != null) {
                add(
                        Change.Kind.RULE_CHANGED,
                        prefix + oldName,
                        "renamed to '" + renamed + "', same rule: metrics and DLQ headers use the new name",
                        false,
                        "operators");
                o.remove(oldName);
                n.remove(renamed);
            }
        }
        n.forEach((name, q) -> {
            QualitySpec before = o.get(name);
            if (before == null) {
                add(
                        Change.Kind.RULE_ADDED,
                        prefix + name,
                        "new " + describe(q) + ": records that passed may now be dead-lettered",
                        false,
                        "producers");
            } else if (!before.node().equals(q.node())) {
                add(
                        Change.Kind.RULE_CHANGED,
                        prefix + name,
                        describe(before) + " → " + describe(q),
                        true,
                        "consumers and producers");
            }
        });
        o.forEach((name, q) -> {
            if (!n.containsKey(name)) {
                add(
                        Change.Kind.RULE_DROPPED,
                        prefix + name,
                        describe(q) + " dropped: consumers lose that guarantee",
                        true,
                        "consumers");
            }
        });
    }

    private static JsonNode withoutName(QualitySpec q) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = q.node().deepCopy();
        copy.remove("name");
        return copy;
    }

    private static String describe(QualitySpec q) {
        if ("custom".equals(q.type())) {
            return "rule " + q.engine() + " '" + q.implementation() + "'";
        }
        return q.metric() + " " + q.node().path("arguments");
    }

    private static Map<String, QualitySpec> byName(List<QualitySpec> list) {
        Map<String, QualitySpec> out = new LinkedHashMap<>();
        for (QualitySpec q : list) {
            out.put(q.name() != null ? q.name() : q.metric(), q);
        }
        return out;
    }

    private void serviceLevels(DataContract o, DataContract n) {
        for (String property : List.of("latency", "retention", "frequency")) {
            JsonNode ov = o.slaProperties().get(property);
            JsonNode nv = n.slaProperties().get(property);
            if (ov == null && nv == null) {
                continue;
            }
            if (nv == null) {
                add(
                        Change.Kind.SLA_WEAKENED,
                        "slaProperties." + property,
                        property + " no longer promised",
                        true,
                        "consumers");
                continue;
            }
            if (ov == null) {
                add(
                        Change.Kind.SLA_IMPROVED,
                        "slaProperties." + property,
                        property + " now promised: " + text(nv),
                        false,
                        "consumers");
                continue;
            }
            Duration od = ServiceLevels.duration(ov);
            Duration nd = ServiceLevels.duration(nv);
            if (od.equals(nd)) {
                continue;
            }
            // more latency or frequency interval is worse; less retention is worse
            boolean weaker = "retention".equals(property) ? nd.compareTo(od) < 0 : nd.compareTo(od) > 0;
            add(
                    weaker ? Change.Kind.SLA_WEAKENED : Change.Kind.SLA_IMPROVED,
                    "slaProperties." + property,
                    property + " " + text(ov) + " → " + text(nv),
                    weaker,
                    "consumers");
        }
    }

    private static String text(JsonNode sla) {
        return sla.path("value").asText() + sla.path("unit").asText("");
    }

    private static Map<String, PropertySpec> flatten(List<PropertySpec> properties) {
        Map<String, PropertySpec> out = new LinkedHashMap<>();
        for (PropertySpec p : properties) {
            out.put(p.path(), p);
            out.putAll(flatten(p.children()));
        }
        return out;
    }

    private static String nextMajor(String topic) {
        Matcher m = TopicNames.PATTERN.matcher(topic == null ? "" : topic);
        if (!m.matches() || !"product".equals(m.group(2))) {
            return null;
        }
        int major = m.group(5) == null ? 1 : Integer.parseInt(m.group(5));
        return m.group(1) + ".product." + m.group(3) + ".v" + (major + 1);
    }
}
