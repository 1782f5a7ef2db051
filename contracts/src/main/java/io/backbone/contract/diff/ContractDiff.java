package io.backbone.contract.diff;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.contract.DataContract;
import io.backbone.contract.FieldPath;
import io.backbone.contract.PropertySpec;
import io.backbone.contract.QualitySpec;
import io.backbone.contract.ServiceLevels;
import io.backbone.contract.normalise.Normaliser;
import io.backbone.contract.rules.Corrections;
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
    /** The version bump a set of changes needs: documentation only is a patch, anything else a minor or major. */
    public enum Bump {
        NONE,
        PATCH,
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
        d.topic(oldContract.topic(), newContract.topic());
        d.schema(oldSchema, newSchema, mode, "");
        d.compatibility(
                oldContract.custom("compatibility", "BACKWARD"), newContract.custom("compatibility", "BACKWARD"));
        d.audience(oldContract, newContract);
        d.dedupWindow(
                oldContract.customProperties().get("dedupWindow"),
                newContract.customProperties().get("dedupWindow"));
        d.properties(flatten(oldContract.properties()), flatten(newContract.properties()));
        d.quality(oldContract.quality(), newContract.quality(), "");
        d.serviceLevels(oldContract, newContract);
        d.lifecycle(oldContract.lifecycle(), newContract.lifecycle());
        d.documentation(
                "description",
                oldContract.document().root().path("description"),
                newContract.document().root().path("description"));
        Bump bump = d.changes.stream().anyMatch(Change::breaking)
                ? Bump.MAJOR
                : d.changes.stream().anyMatch(c -> c.kind() != Change.Kind.DOCUMENTATION_CHANGED)
                        ? Bump.MINOR
                        : d.changes.isEmpty() ? Bump.NONE : Bump.PATCH;
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

    private void topic(String oldTopic, String newTopic) {
        if (!Objects.equals(oldTopic, newTopic)) {
            add(
                    Change.Kind.TOPIC_CHANGED,
                    "schema[0].physicalName",
                    oldTopic + " → " + newTopic + ": consumers subscribed to " + oldTopic + " receive nothing more",
                    true,
                    "consumers");
        }
    }

    /**
     * Deprecating a version is not breaking (its consumers keep receiving it until the sunset, and are told); moving
     * the sunset earlier, or retiring it before its sunset, is; retiring it on or after the sunset is the end that was
     * announced.
     */
    private void lifecycle(io.backbone.contract.Lifecycle o, io.backbone.contract.Lifecycle n) {
        if (o.equals(n)) {
            return;
        }
        String what = o.status() + " → " + n.status();
        if (n.deprecated() && !o.deprecated()) {
            add(
                    Change.Kind.LIFECYCLE_CHANGED,
                    "status",
                    what + ": consumers keep receiving it until the sunset " + n.sunset() + " and are told so by the"
                            + " headers backbone.deprecation and backbone.sunset; successor " + n.successor(),
                    false,
                    "consumers");
        } else if (n.retired()) {
            boolean early = o.sunset() == null
                    || java.time.LocalDate.now(java.time.ZoneOffset.UTC).isBefore(o.sunset());
            add(
                    Change.Kind.LIFECYCLE_CHANGED,
                    "status",
                    what
                            + (o.sunset() == null
                                    ? ": retired without being deprecated first: its consumers lose it without the"
                                            + " notice they were promised (deprecate it with a sunset first)"
                                    : early
                                            ? ": retired before its sunset (" + o.sunset()
                                                    + "): its consumers lose it without the notice they were promised"
                                            : ": retired after its sunset " + o.sunset() + ", as announced"),
                    early,
                    "consumers");
        } else if (o.deprecated() && n.deprecated()) {
            boolean earlier =
                    o.sunset() != null && n.sunset() != null && n.sunset().isBefore(o.sunset());
            add(
                    Change.Kind.LIFECYCLE_CHANGED,
                    "customProperties.sunset",
                    "sunset " + o.sunset() + " → " + n.sunset() + ", successor " + n.successor()
                            + (earlier ? ": consumers get less notice than they were promised" : ""),
                    earlier,
                    "consumers");
        } else {
            add(
                    Change.Kind.LIFECYCLE_CHANGED,
                    "status",
                    what + (o.deprecated() ? ": no longer deprecated" : ""),
                    false,
                    "consumers");
        }
    }

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
                    case "BACKWARD", "FORWARD" -> 2;
                    case "FULL" -> 4;
                    default -> 0;
                };
        return base + (mode.endsWith("_TRANSITIVE") ? 1 : 0);
    }

    private void audience(DataContract o, DataContract n) {
        String ov = o.custom("audience", "company-internal");
        String nv = n.custom("audience", "company-internal");
        if (ov.equals(nv)) {
            return;
        }
        if (o.widerThanDomain() == n.widerThanDomain()) {
            add(
                    Change.Kind.AUDIENCE_CHANGED,
                    "customProperties.audience",
                    ov + " → " + nv + ": masking and access unchanged",
                    false,
                    "consumers");
        } else if (n.widerThanDomain()) {
            add(
                    Change.Kind.AUDIENCE_CHANGED,
                    "customProperties.audience",
                    ov + " → " + nv + ": now read beyond the domain, so PII is masked: the values consumers receive"
                            + " change",
                    true,
                    "consumers");
        } else {
            add(
                    Change.Kind.AUDIENCE_CHANGED,
                    "customProperties.audience",
                    ov + " → " + nv + ": consumers outside the domain lose access",
                    true,
                    "consumers");
        }
    }

    private void dedupWindow(JsonNode ov, JsonNode nv) {
        String o = ov == null || ov.isNull() ? null : ov.asText();
        String n = nv == null || nv.isNull() ? null : nv.asText();
        if (Objects.equals(o, n)) {
            return;
        }
        Duration od = o == null ? Duration.ZERO : window(o);
        Duration nd = n == null ? Duration.ZERO : window(n);
        String what = "dedupWindow " + (o == null ? "(none)" : o) + " → " + (n == null ? "(none)" : n);
        if (nd.compareTo(od) < 0) {
            add(
                    Change.Kind.RULE_LOOSENED,
                    "customProperties.dedupWindow",
                    what + ": duplicates further apart may now reach consumers",
                    true,
                    "consumers");
        } else {
            add(
                    Change.Kind.RULE_TIGHTENED,
                    "customProperties.dedupWindow",
                    what + ": duplicates further apart are dropped too",
                    false,
                    "producers");
        }
    }

    private static Duration window(String iso) {
        try {
            return Duration.parse(iso);
        } catch (java.time.format.DateTimeParseException e) {
            return Duration.ZERO;
        }
    }

    private void properties(Map<String, PropertySpec> olds, Map<String, PropertySpec> news) {
        for (Map.Entry<String, PropertySpec> e : news.entrySet()) {
            String where = e.getKey();
            PropertySpec o = olds.get(where);
            PropertySpec n = e.getValue();
            if (o == null) {
                if (!reported(where, Change.Kind.FIELD_ADDED)) {
                    add(
                            Change.Kind.FIELD_ADDED,
                            where,
                            "now declared in the contract (" + (n.required() ? "required" : "optional")
                                    + "): consumers gain a documented field",
                            false,
                            "consumers");
                }
                continue;
            }
            property(where, o, n);
        }
        for (Map.Entry<String, PropertySpec> e : olds.entrySet()) {
            String where = e.getKey();
            if (news.containsKey(where)) {
                continue;
            }
            PropertySpec o = e.getValue();
            if (!reported(where, Change.Kind.FIELD_REMOVED) && !reported(where, Change.Kind.FIELD_RENAMED)) {
                add(
                        Change.Kind.FIELD_REMOVED,
                        where,
                        "no longer declared in the contract: consumers lose its meaning"
                                + (o.required()
                                                || !o.quality().isEmpty()
                                                || options(o).size() > 0
                                        ? " and its guarantees"
                                        : ""),
                        true,
                        "consumers");
            }
            if (o.pii()) {
                add(
                        Change.Kind.CLASSIFICATION_CHANGED,
                        where,
                        "no longer declared as PII: it would pass unmasked",
                        true,
                        "consumers");
            }
        }
    }

    private boolean reported(String where, Change.Kind kind) {
        return changes.stream().anyMatch(c -> c.kind() == kind && c.where().equals(where));
    }

    private void property(String where, PropertySpec o, PropertySpec n) {
        if (!Objects.equals(o.logicalType(), n.logicalType())) {
            add(
                    Change.Kind.TYPE_CHANGED,
                    where + ".logicalType",
                    o.logicalType() + " → " + n.logicalType()
                            + " in the contract: consumers who read types from the contract expect the old one",
                    true,
                    "consumers");
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
        if (o.unique() && !n.unique()) {
            add(
                    Change.Kind.RULE_DROPPED,
                    where + ".unique",
                    "no longer unique: duplicates may now reach consumers",
                    true,
                    "consumers");
        } else if (!o.unique() && n.unique()) {
            add(
                    Change.Kind.RULE_ADDED,
                    where + ".unique",
                    "now unique: repeated values are dropped as duplicates",
                    false,
                    "producers");
        }
        if (o.get("primaryKey").asBoolean(false) != n.get("primaryKey").asBoolean(false)) {
            add(
                    Change.Kind.KEY_CHANGED,
                    where + ".primaryKey",
                    (n.get("primaryKey").asBoolean(false) ? "now" : "no longer")
                            + " the primary key: consumers keying, compacting or joining on the key must change",
                    true,
                    "consumers");
        }
        options(where, o, n);
        quality(o.quality(), n.quality(), where + ".");
        classification(where, o, n);
        corrections(where, o, n);
        JsonNode os = o.customProperties().get("source");
        JsonNode ns = n.customProperties().get("source");
        if (!Objects.equals(os, ns)) {
            add(
                    Change.Kind.MAPPING_CHANGED,
                    where + ".source",
                    "taken from " + (ns == null ? "the input field of the same name" : ns.asText()) + " instead of "
                            + (os == null ? "the input field of the same name" : os.asText())
                            + ": the values consumers receive change",
                    true,
                    "consumers");
        }
        documentation(where + ".description", o.get("description"), n.get("description"));
    }

    private static final List<String> LOWER_BOUNDS = List.of("minimum", "exclusiveMinimum", "minLength", "minItems");
    private static final List<String> UPPER_BOUNDS = List.of("maximum", "exclusiveMaximum", "maxLength", "maxItems");
    private static final List<String> NUMERIC_FORMATS =
            List.of("i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64", "u128", "f32", "f64");

    private static JsonNode options(PropertySpec p) {
        return p.logicalTypeOptions() == null || p.logicalTypeOptions().isMissingNode()
                ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                : p.logicalTypeOptions();
    }

    private void options(String where, PropertySpec o, PropertySpec n) {
        JsonNode oo = options(o);
        JsonNode no = options(n);
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        oo.fieldNames().forEachRemaining(keys::add);
        no.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            JsonNode ov = oo.get(key);
            JsonNode nv = no.get(key);
            if (Objects.equals(ov, nv)) {
                continue;
            }
            if (LOWER_BOUNDS.contains(key) || UPPER_BOUNDS.contains(key)) {
                bound(where, key, ov, nv, LOWER_BOUNDS.contains(key));
            } else if ("format".equals(key)
                    && (ov != null && NUMERIC_FORMATS.contains(text(ov))
                            || nv != null && NUMERIC_FORMATS.contains(text(nv)))) {
                add(
                        Change.Kind.TYPE_CHANGED,
                        where + ".format",
                        text(ov) + " → " + text(nv) + " in the contract: consumers sized for "
                                + (ov == null ? "the default" : text(ov)) + " read another width",
                        true,
                        "consumers");
            } else if (ov == null) {
                add(
                        Change.Kind.RULE_ADDED,
                        where + "." + key,
                        key + " " + text(nv) + " added: records that passed may now be dead-lettered",
                        false,
                        "producers");
            } else if (nv == null) {
                add(
                        Change.Kind.RULE_DROPPED,
                        where + "." + key,
                        key + " " + text(ov) + " dropped: consumers lose that guarantee",
                        true,
                        "consumers");
            } else {
                add(
                        Change.Kind.RULE_CHANGED,
                        where + "." + key,
                        key + " " + text(ov) + " → " + text(nv) + ": neither a subset nor a superset can be assumed",
                        true,
                        "consumers and producers");
            }
        }
    }

    private static String text(JsonNode v) {
        return v == null ? null : v.isValueNode() ? v.asText() : v.toString();
    }

    private void bound(String where, String key, JsonNode ov, JsonNode nv, boolean lower) {
        if (ov != null
                && nv != null
                && ov.isNumber()
                && nv.isNumber()
                && ov.decimalValue().compareTo(nv.decimalValue()) == 0) {
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

    private void classification(String where, PropertySpec o, PropertySpec n) {
        if (o.pii() != n.pii() || !Objects.equals(o.masking(), n.masking())) {
            add(
                    Change.Kind.CLASSIFICATION_CHANGED,
                    where,
                    masking(o) + " → " + masking(n) + ": " + maskingEffect(o, n),
                    true,
                    "consumers");
        } else if (!Objects.equals(o.classification(), n.classification())) {
            add(
                    Change.Kind.CLASSIFICATION_CHANGED,
                    where + ".classification",
                    (o.classification() == null ? "(none)" : o.classification()) + " → "
                            + (n.classification() == null ? "(none)" : n.classification())
                            + ": label only, masking unchanged, the values consumers receive do not change",
                    false,
                    "consumers");
        }
    }

    /**
     * A change to the normalisers of a property. Breaking unless it provably changes no value consumers already
     * receive: the property's error-severity {@code validValues} (of the old version for what is added, of the new
     * one for what is removed) are all left unchanged by the other side's normalisers. Then only records that were
     * dead-lettered before become valid (added) or records that were corrected are dead-lettered now (removed).
     */
    private void corrections(String where, PropertySpec o, PropertySpec n) {
        Corrections.Declared od = Corrections.declared(o);
        Corrections.Declared nd = Corrections.declared(n);
        if (same(od, nd)) {
            return;
        }
        Normaliser before = od == null ? v -> v : od.compileOrNull();
        Normaliser after = nd == null ? v -> v : nd.compileOrNull();
        String was = od == null ? "(none)" : describe(od);
        String now = nd == null ? "(none)" : describe(nd);
        java.util.Set<String> oldValid = validValues(o);
        java.util.Set<String> newValid = validValues(n);
        boolean keepsOld = after != null && fixes(after, oldValid); // the new normalisers leave old valid values
        boolean keepsNew = before != null && fixes(before, newValid); // the old ones leave new valid values
        boolean safe = (od == null || keepsNew) && (nd == null || keepsOld);
        Change.Kind kind = od == null
                ? Change.Kind.CORRECTION_ADDED
                : nd == null ? Change.Kind.CORRECTION_REMOVED : Change.Kind.CORRECTION_CHANGED;
        String what = "normalise " + was + " → " + now;
        if (safe) {
            add(
                    kind,
                    where + ".normalise",
                    what + ": every value of its validValues stays as it is, so values consumers already receive do"
                            + " not change; "
                            + (nd == null
                                    ? "records it corrected are now dead-lettered"
                                    : "records the old version dead-lettered may now be corrected and published"),
                    false,
                    "producers");
        } else {
            add(
                    kind,
                    where + ".normalise",
                    what + ": values consumers already receive may change (stored pseudonyms, joins and counts on"
                            + " this field break); publish it as a new major, or show with error-severity"
                            + " validValues that no valid value changes",
                    true,
                    "consumers");
        }
    }

    private static boolean same(Corrections.Declared a, Corrections.Declared b) {
        if (a == null || b == null) {
            return a == b;
        }
        return new java.util.HashSet<>(a.kinds()).equals(new java.util.HashSet<>(b.kinds()))
                && a.options().equals(b.options());
    }

    private static String describe(Corrections.Declared d) {
        String kinds = "[" + String.join(", ", d.kinds()) + "]";
        return d.options().isEmpty() ? kinds : kinds + " " + d.options();
    }

    /** Whether {@code normaliser} leaves every one of {@code values} as it is (false without values to prove it). */
    private static boolean fixes(Normaliser normaliser, java.util.Set<String> values) {
        return values != null
                && values.stream().allMatch(v -> normaliser.apply(v).equals(v));
    }

    /** The error-severity {@code validValues} of a property, or null if it declares none. */
    private static java.util.Set<String> validValues(PropertySpec p) {
        for (QualitySpec q : p.quality()) {
            JsonNode valid = q.node().path("arguments").path("validValues");
            boolean error = q.severity() == null || "error".equalsIgnoreCase(q.severity());
            if ("invalidValues".equals(q.metric()) && valid.isArray() && error) {
                java.util.Set<String> out = new java.util.LinkedHashSet<>();
                valid.forEach(v -> out.add(v.asText()));
                return out;
            }
        }
        return null;
    }

    private static String masking(PropertySpec p) {
        return p.pii() ? "PII, masking " + p.masking() : "not PII";
    }

    private static String maskingEffect(PropertySpec o, PropertySpec n) {
        String before = o.pii() ? o.masking() : "keep";
        String after = n.pii() ? n.masking() : "keep";
        if (Objects.equals(before, after)) {
            return "the same values reach consumers, but the PII marking that protects them changed";
        }
        return switch (after == null ? "" : after) {
            case "keep" -> "consumers now receive the values in clear";
            case "hash" -> "consumers now receive pseudonyms instead of " + valuesOf(before);
            case "redact" -> "consumers now receive a redacted value instead of " + valuesOf(before);
            case "drop" -> "consumers now receive no value instead of " + valuesOf(before);
            default -> "the values consumers receive change";
        };
    }

    private static String valuesOf(String masking) {
        return switch (masking == null ? "" : masking) {
            case "keep" -> "the values";
            case "hash" -> "pseudonyms";
            case "redact" -> "a redacted value";
            case "drop" -> "nothing";
            default -> "what they received";
        };
    }

    private void documentation(String where, JsonNode o, JsonNode n) {
        if (!o.equals(n)) {
            add(
                    Change.Kind.DOCUMENTATION_CHANGED,
                    where,
                    o.isMissingNode() ? "added" : n.isMissingNode() ? "removed" : "reworded",
                    false,
                    "consumers");
        }
    }

    // ---- quality rules -----------------------------------------------------------------------------------------

    /** Fields of a rule that say nothing about what it accepts. */
    private static final List<String> PROSE = List.of("name", "description", "dimension", "businessImpact", "tags");

    private void quality(List<QualitySpec> olds, List<QualitySpec> news, String prefix) {
        // named rules are keyed by name; unnamed ones by what they check (metric, or custom engine), then matched
        // one to one: identical first, then in order, so that adding, dropping or changing one is seen as that
        Map<String, QualitySpec> o = new LinkedHashMap<>();
        Map<String, QualitySpec> n = new LinkedHashMap<>();
        Map<String, List<QualitySpec>> unnamedOld = new LinkedHashMap<>();
        Map<String, List<QualitySpec>> unnamedNew = new LinkedHashMap<>();
        for (QualitySpec q : olds) {
            if (q.name() != null) {
                o.put(q.name(), q);
            } else {
                unnamedOld.computeIfAbsent(kindOf(q), k -> new ArrayList<>()).add(q);
            }
        }
        for (QualitySpec q : news) {
            if (q.name() != null) {
                n.put(q.name(), q);
            } else {
                unnamedNew.computeIfAbsent(kindOf(q), k -> new ArrayList<>()).add(q);
            }
        }
        // the same rule under a new name is a rename, not a drop and an add
        for (String oldName : new ArrayList<>(o.keySet())) {
            if (n.containsKey(oldName)) {
                continue;
            }
            String renamed = n.entrySet().stream()
                    .filter(e ->
                            !o.containsKey(e.getKey()) && semantic(e.getValue()).equals(semantic(o.get(oldName))))
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
                added(prefix + name, q);
            } else {
                rule(prefix + name, before, q);
            }
        });
        o.forEach((name, q) -> {
            if (!n.containsKey(name)) {
                dropped(prefix + name, q);
            }
        });
        java.util.Set<String> kinds = new java.util.LinkedHashSet<>(unnamedOld.keySet());
        kinds.addAll(unnamedNew.keySet());
        for (String kind : kinds) {
            List<QualitySpec> before = new ArrayList<>(unnamedOld.getOrDefault(kind, List.of()));
            List<QualitySpec> after = new ArrayList<>(unnamedNew.getOrDefault(kind, List.of()));
            for (QualitySpec q : new ArrayList<>(after)) {
                QualitySpec same = before.stream()
                        .filter(b -> semantic(b).equals(semantic(q)))
                        .findFirst()
                        .orElse(null);
                if (same != null) {
                    before.remove(same);
                    after.remove(q);
                    rule(prefix + kind, same, q);
                }
            }
            int paired = Math.min(before.size(), after.size());
            for (int i = 0; i < paired; i++) {
                rule(prefix + kind, before.get(i), after.get(i));
            }
            for (QualitySpec q : after.subList(paired, after.size())) {
                added(prefix + kind, q);
            }
            for (QualitySpec q : before.subList(paired, before.size())) {
                dropped(prefix + kind, q);
            }
        }
    }

    private static String kindOf(QualitySpec q) {
        return q.metric() != null ? q.metric() : q.type() + (q.engine() == null ? "" : ":" + q.engine());
    }

    private void added(String where, QualitySpec q) {
        add(
                Change.Kind.RULE_ADDED,
                where,
                "new " + describe(q) + ": records that passed may now be dead-lettered",
                false,
                "producers");
    }

    private void dropped(String where, QualitySpec q) {
        add(
                Change.Kind.RULE_DROPPED,
                where,
                describe(q) + " dropped: consumers lose that guarantee",
                true,
                "consumers");
    }

    private void rule(String where, QualitySpec o, QualitySpec n) {
        boolean oldBlocks = blocks(o);
        boolean newBlocks = blocks(n);
        if (oldBlocks && !newBlocks) {
            add(
                    Change.Kind.RULE_LOOSENED,
                    where + ".severity",
                    severity(o) + " → " + severity(n) + ": violations now reach consumers (counted, not dead-lettered)",
                    true,
                    "consumers");
        } else if (!oldBlocks && newBlocks) {
            add(
                    Change.Kind.RULE_TIGHTENED,
                    where + ".severity",
                    severity(o) + " → " + severity(n) + ": violations are now dead-lettered",
                    false,
                    "producers");
        }
        JsonNode os = semanticWithoutSeverity(o);
        JsonNode ns = semanticWithoutSeverity(n);
        if (os.equals(ns)) {
            if (!o.node().path("description").equals(n.node().path("description"))) {
                documentation(
                        where + ".description",
                        o.node().path("description"),
                        n.node().path("description"));
            }
            return;
        }
        JsonNode ov = o.node().path("arguments").path("validValues");
        JsonNode nv = n.node().path("arguments").path("validValues");
        if ("invalidValues".equals(o.metric()) && ov.isArray() && nv.isArray() && sameExcept(os, ns, "arguments")) {
            java.util.Set<String> before = values(ov);
            java.util.Set<String> after = values(nv);
            java.util.Set<String> gone = new java.util.TreeSet<>(before);
            gone.removeAll(after);
            java.util.Set<String> come = new java.util.TreeSet<>(after);
            come.removeAll(before);
            if (come.isEmpty()) {
                add(
                        Change.Kind.RULE_TIGHTENED,
                        where,
                        "validValues narrowed (no longer " + String.join(", ", gone)
                                + "): consumers get a subset, producers' records with those values are dead-lettered",
                        false,
                        "producers");
            } else if (gone.isEmpty()) {
                add(
                        Change.Kind.RULE_LOOSENED,
                        where,
                        "validValues widened (now also " + String.join(", ", come)
                                + "): consumers may receive values they do not handle",
                        true,
                        "consumers");
            } else {
                add(
                        Change.Kind.RULE_CHANGED,
                        where,
                        "validValues: " + String.join(", ", gone) + " out, " + String.join(", ", come)
                                + " in: consumers may receive values they do not handle",
                        true,
                        "consumers and producers");
            }
            return;
        }
        add(
                Change.Kind.RULE_CHANGED,
                where,
                describe(o) + " → " + describe(n) + ": neither a subset nor a superset can be assumed",
                true,
                "consumers and producers");
    }

    private static boolean blocks(QualitySpec q) {
        return q.severity() == null || "error".equalsIgnoreCase(q.severity());
    }

    private static String severity(QualitySpec q) {
        return q.severity() == null ? "error" : q.severity();
    }

    private static boolean sameExcept(JsonNode a, JsonNode b, String key) {
        com.fasterxml.jackson.databind.node.ObjectNode x = a.deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode y = b.deepCopy();
        x.remove(key);
        y.remove(key);
        return x.equals(y);
    }

    private static java.util.Set<String> values(JsonNode array) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    /** What a rule accepts, with its severity: fields that are prose for people are left out. */
    private static JsonNode semantic(QualitySpec q) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = q.node().deepCopy();
        copy.remove(PROSE);
        if (!copy.has("severity")) {
            copy.put("severity", "error");
        }
        return copy;
    }

    private static JsonNode semanticWithoutSeverity(QualitySpec q) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = q.node().deepCopy();
        copy.remove(PROSE);
        copy.remove("severity");
        return copy;
    }

    private static String describe(QualitySpec q) {
        if ("custom".equals(q.type())) {
            return "rule " + q.engine() + " '" + q.implementation() + "'";
        }
        JsonNode args = q.node().path("arguments");
        return q.metric() + (args.isMissingNode() ? "" : " " + args);
    }

    // ---- service levels ----------------------------------------------------------------------------------------

    /** Service levels where more is better; for the durations and rates not listed, less is better. */
    private static final List<String> MORE_IS_BETTER = List.of("retention", "availability", "throughput");

    private static final List<String> DATES = List.of("generalAvailability", "endOfSupport", "endOfLife");

    private void serviceLevels(DataContract o, DataContract n) {
        java.util.Set<String> names =
                new java.util.LinkedHashSet<>(o.slaProperties().keySet());
        names.addAll(n.slaProperties().keySet());
        for (String property : names) {
            JsonNode ov = o.slaProperties().get(property);
            JsonNode nv = n.slaProperties().get(property);
            String where = "slaProperties." + property;
            if (nv == null) {
                add(Change.Kind.SLA_WEAKENED, where, property + " no longer promised", true, "consumers");
                continue;
            }
            if (ov == null) {
                add(Change.Kind.SLA_IMPROVED, where, property + " now promised: " + sla(nv), false, "consumers");
                continue;
            }
            if (sla(ov).equals(sla(nv))) {
                if (!ov.path("description").equals(nv.path("description"))) {
                    documentation(where + ".description", ov.path("description"), nv.path("description"));
                }
                continue;
            }
            Integer cmp = compareLevels(property, ov, nv);
            if (cmp == null) {
                add(
                        Change.Kind.SLA_WEAKENED,
                        where,
                        property + " " + sla(ov) + " → " + sla(nv) + ": not comparable, so taken as weaker",
                        true,
                        "consumers");
                continue;
            }
            if (cmp == 0) {
                continue;
            }
            boolean weaker = MORE_IS_BETTER.contains(property) || DATES.contains(property) ? cmp < 0 : cmp > 0;
            add(
                    weaker ? Change.Kind.SLA_WEAKENED : Change.Kind.SLA_IMPROVED,
                    where,
                    property + " " + sla(ov) + " → " + sla(nv),
                    weaker,
                    "consumers");
        }
    }

    /** new compared with old (negative: smaller or earlier), or null when the two cannot be compared. */
    private static Integer compareLevels(String property, JsonNode ov, JsonNode nv) {
        if (!ov.path("element").equals(nv.path("element"))) {
            return null;
        }
        JsonNode a = ov.path("value");
        JsonNode b = nv.path("value");
        if (DATES.contains(property)) {
            return a.isTextual() && b.isTextual() ? Integer.signum(b.asText().compareTo(a.asText())) : null;
        }
        if (!a.isNumber() || !b.isNumber()) {
            return null;
        }
        String ou = ov.path("unit").asText("");
        String nu = nv.path("unit").asText("");
        if (ou.equals(nu)) {
            return Integer.signum(b.decimalValue().compareTo(a.decimalValue()));
        }
        Duration od = ServiceLevels.duration(ov);
        Duration nd = ServiceLevels.duration(nv);
        return od == null || nd == null ? null : Integer.signum(nd.compareTo(od));
    }

    private static String sla(JsonNode sla) {
        return sla.path("value").asText()
                + sla.path("unit").asText("")
                + (sla.has("element") ? " on " + sla.path("element").asText() : "");
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
