package io.backbone.platform.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaValidationException;
import org.apache.avro.SchemaValidator;
import org.apache.avro.SchemaValidatorBuilder;

/**
 * The registry's subjects, versions, ids, configuration, and each schema's data-contract metadata and rule set;
 * every change goes through the store first.
 *
 * <p>As in Confluent Schema Registry: a schema is identified by its text, metadata and rule set together (one that
 * differs only in its rules is a new version with a new id); a version registered without metadata or a rule set
 * inherits the previous version's; the configuration's {@code defaultMetadata} / {@code defaultRuleSet} are merged
 * under what the version specifies and {@code overrideMetadata} / {@code overrideRuleSet} over it (properties and
 * rules by name, tags and sensitive names as sets). Soft-deleted versions stay readable with {@code deleted=true} and
 * no longer count for lookups, {@code latest} or compatibility; a permanent delete needs a soft one first.
 */
final class RegistryState {
    static final Set<String> MODES = Set.of(
            "NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");
    static final List<String> CONFIG_FIELDS =
            List.of("defaultMetadata", "overrideMetadata", "defaultRuleSet", "overrideRuleSet");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Version(int version, int id, boolean deleted) {}

    /** A schema as registered: parsed, with its metadata and rule set (null: none). */
    record Stored(Schema schema, JsonNode metadata, JsonNode ruleSet) {
        boolean same(Schema s, JsonNode m, JsonNode r) {
            return schema.equals(s) && Objects.equals(metadata, m) && Objects.equals(ruleSet, r);
        }
    }

    private final SchemaStore store;
    private final Map<Integer, Stored> byId = new HashMap<>();
    private final Map<String, List<Version>> subjects = new LinkedHashMap<>();
    private final Map<String, String> modes = new HashMap<>();
    /** Per subject ("" for the global one): the default and override metadata and rule sets set on it. */
    private final Map<String, ObjectNode> configs = new HashMap<>();

    private String globalMode = "BACKWARD";
    private int nextId = 1;

    RegistryState(SchemaStore store) {
        this.store = store;
        store.replay(this::apply);
    }

    private void apply(StoreEntry e) {
        switch (e.kind()) {
            case "SCHEMA" -> {
                byId.putIfAbsent(
                        e.id(),
                        new Stored(new Schema.Parser().parse(e.schema()), tree(e.metadata()), tree(e.ruleSet())));
                List<Version> versions = subjects.computeIfAbsent(e.subject(), s -> new ArrayList<>());
                versions.removeIf(v -> v.version() == e.version());
                versions.add(new Version(e.version(), e.id(), e.deleted()));
                versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
                nextId = Math.max(nextId, e.id() + 1);
            }
            case "GONE" -> {
                List<Version> versions = subjects.get(e.subject());
                if (versions != null) {
                    versions.removeIf(v -> v.version() == e.version());
                    if (versions.isEmpty()) {
                        subjects.remove(e.subject());
                    }
                }
            }
            default -> {
                if (e.compatibility() != null) {
                    if (e.subject() == null) {
                        globalMode = e.compatibility();
                    } else {
                        modes.put(e.subject(), e.compatibility());
                    }
                }
                JsonNode config = tree(e.config());
                if (config instanceof ObjectNode o) {
                    configs.put(e.subject() == null ? "" : e.subject(), o);
                }
            }
        }
    }

    private static JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(text);
            return node == null || node.isNull() ? null : node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable registry entry: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode node) {
        return node == null ? null : node.toString();
    }

    synchronized Stored stored(int id) {
        return byId.get(id);
    }

    synchronized Schema schema(int id) {
        Stored s = byId.get(id);
        return s == null ? null : s.schema();
    }

    /** The subjects with a version left ({@code deleted}: soft-deleted ones count too). */
    synchronized List<String> subjects(boolean deleted) {
        return subjects.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(v -> deleted || !v.deleted()))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** A subject's versions, soft-deleted ones only with {@code deleted}; null when it has none. */
    synchronized List<Version> versions(String subject, boolean deleted) {
        List<Version> all = subjects.get(subject);
        if (all == null) {
            return null;
        }
        List<Version> seen = all.stream().filter(v -> deleted || !v.deleted()).toList();
        return seen.isEmpty() ? null : seen;
    }

    synchronized List<Version> versions(String subject) {
        return versions(subject, false);
    }

    /**
     * The latest version of {@code subject} holding {@code schema}, and, where given, this metadata and rule set
     * (null: any); soft-deleted ones only with {@code deleted}.
     */
    synchronized Version find(String subject, Schema schema, JsonNode metadata, JsonNode ruleSet, boolean deleted) {
        List<Version> versions = subjects.getOrDefault(subject, List.of());
        for (int i = versions.size() - 1; i >= 0; i--) {
            Version v = versions.get(i);
            Stored s = byId.get(v.id());
            if ((deleted || !v.deleted())
                    && s.schema().equals(schema)
                    && (metadata == null || metadata.equals(s.metadata()))
                    && (ruleSet == null || ruleSet.equals(s.ruleSet()))) {
                return v;
            }
        }
        return null;
    }

    synchronized Version find(String subject, Schema schema) {
        return find(subject, schema, null, null, false);
    }

    /**
     * The latest live version of {@code subject} whose metadata properties hold every pair of {@code properties};
     * null when none does.
     */
    synchronized Version latestWithMetadata(String subject, Map<String, String> properties) {
        List<Version> versions = versions(subject, false);
        if (versions == null) {
            throw RegistryError.subjectNotFound(subject);
        }
        for (int i = versions.size() - 1; i >= 0; i--) {
            JsonNode props = byId.get(versions.get(i).id()).metadata() == null
                    ? null
                    : byId.get(versions.get(i).id()).metadata().path("properties");
            boolean all = props != null
                    && properties.entrySet().stream()
                            .allMatch(p ->
                                    p.getValue().equals(props.path(p.getKey()).asText(null)));
            if (all) {
                return versions.get(i);
            }
        }
        return null;
    }

    synchronized Version register(String subject, Schema schema) throws SchemaValidationException {
        return register(subject, schema, null, null);
    }

    /**
     * Registers {@code schema} with {@code metadata} and {@code ruleSet} (null: the previous version's), merged with
     * the configuration's defaults and overrides: the existing version if identical, a new one if compatible, else
     * throws.
     */
    synchronized Version register(String subject, Schema schema, JsonNode metadata, JsonNode ruleSet)
            throws SchemaValidationException {
        List<Version> live = versions(subject, false);
        Stored previous =
                live == null ? null : byId.get(live.get(live.size() - 1).id());
        JsonNode m = metadata != null ? metadata : previous == null ? null : previous.metadata();
        JsonNode r = ruleSet != null ? ruleSet : previous == null ? null : previous.ruleSet();
        m = mergeMetadata(mergeMetadata(config(subject, "defaultMetadata"), m), config(subject, "overrideMetadata"));
        r = mergeRuleSet(mergeRuleSet(config(subject, "defaultRuleSet"), r), config(subject, "overrideRuleSet"));
        for (Version v : live == null ? List.<Version>of() : live) {
            if (byId.get(v.id()).same(schema, m, r)) {
                return v;
            }
        }
        checkCompatible(subject, schema, null);
        JsonNode fm = m;
        JsonNode fr = r;
        int id = byId.entrySet().stream()
                .filter(e -> e.getValue().same(schema, fm, fr))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(nextId);
        List<Version> all = subjects.getOrDefault(subject, List.of());
        int version = all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
        StoreEntry entry = StoreEntry.schema(subject, version, id, schema.toString(), text(m), text(r));
        store.append(entry);
        apply(entry);
        return new Version(version, id, false);
    }

    /** Throws if {@code schema} breaks the subject's mode against {@code against} (null: the mode's own set). */
    synchronized void checkCompatible(String subject, Schema schema, Version against) throws SchemaValidationException {
        String mode = mode(subject);
        List<Version> versions = versions(subject, false);
        if ("NONE".equals(mode) || versions == null) {
            return;
        }
        List<Schema> existing = new ArrayList<>();
        if (against != null) {
            existing.add(byId.get(against.id()).schema());
        } else {
            boolean transitive = mode.endsWith("_TRANSITIVE");
            for (int i = versions.size() - 1; i >= 0; i--) {
                existing.add(byId.get(versions.get(i).id()).schema());
                if (!transitive) {
                    break;
                }
            }
        }
        validator(mode).validate(schema, existing);
    }

    /** Soft-deletes every live version of {@code subject}, or with {@code permanent} removes its soft-deleted ones. */
    synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        List<Version> all = subjects.get(subject);
        if (all == null) {
            throw RegistryError.subjectNotFound(subject);
        }
        boolean anyLive = all.stream().anyMatch(v -> !v.deleted());
        if (permanent && anyLive) {
            throw new RegistryError(
                    404, 40405, "Subject '" + subject + "' was not deleted first before being permanently deleted");
        }
        if (!permanent && !anyLive) {
            throw new RegistryError(
                    404, 40404, "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently");
        }
        List<Integer> done = new ArrayList<>();
        for (Version v : List.copyOf(all)) {
            if (permanent || !v.deleted()) {
                remove(subject, v, permanent);
                done.add(v.version());
            }
        }
        return done;
    }

    /** Soft-deletes one version, or with {@code permanent} removes a soft-deleted one; returns its number. */
    synchronized int deleteVersion(String subject, String versionText, boolean permanent) {
        List<Version> all = subjects.get(subject);
        if (all == null) {
            throw RegistryError.subjectNotFound(subject);
        }
        Version v;
        if ("latest".equals(versionText) || "-1".equals(versionText)) {
            List<Version> live = all.stream().filter(x -> !x.deleted()).toList();
            v = live.isEmpty() ? null : live.get(live.size() - 1);
        } else {
            int n;
            try {
                n = Integer.parseInt(versionText);
            } catch (NumberFormatException e) {
                throw new RegistryError(
                        422,
                        42202,
                        "The specified version '" + versionText + "' is not a valid version id. Allowed values are"
                                + " between [1, 2^31-1] and the string \"latest\"");
            }
            v = all.stream().filter(x -> x.version() == n).findFirst().orElse(null);
        }
        if (v == null) {
            throw RegistryError.versionNotFound(versionText);
        }
        if (permanent && !v.deleted()) {
            throw new RegistryError(
                    404,
                    40407,
                    "Subject '" + subject + "' Version " + v.version()
                            + " was not deleted first before being permanently deleted");
        }
        if (!permanent && v.deleted()) {
            throw new RegistryError(
                    404,
                    40406,
                    "Subject '" + subject + "' Version " + v.version()
                            + " was soft deleted.Set permanent=true to delete permanently");
        }
        remove(subject, v, permanent);
        return v.version();
    }

    private void remove(String subject, Version v, boolean permanent) {
        Stored s = byId.get(v.id());
        StoreEntry entry = permanent
                ? StoreEntry.gone(subject, v.version())
                : StoreEntry.schema(
                                subject,
                                v.version(),
                                v.id(),
                                s.schema().toString(),
                                text(s.metadata()),
                                text(s.ruleSet()))
                        .softDeleted();
        store.append(entry);
        apply(entry);
    }

    private static SchemaValidator validator(String mode) {
        SchemaValidatorBuilder b = new SchemaValidatorBuilder();
        b = switch (mode.replace("_TRANSITIVE", "")) {
            case "BACKWARD" -> b.canReadStrategy();
            case "FORWARD" -> b.canBeReadStrategy();
            default -> b.mutualReadStrategy();
        };
        return mode.endsWith("_TRANSITIVE") ? b.validateAll() : b.validateLatest();
    }

    synchronized String mode(String subject) {
        return subject == null ? globalMode : modes.getOrDefault(subject, globalMode);
    }

    synchronized String subjectMode(String subject) {
        return modes.get(subject);
    }

    synchronized void setMode(String subject, String mode) {
        setConfig(subject, mode, null);
    }

    /** The configuration set on {@code subject} (null: the global one): its metadata and rule set fields. */
    synchronized ObjectNode config(String subject) {
        ObjectNode c = configs.get(subject == null ? "" : subject);
        return c == null ? JSON.createObjectNode() : c.deepCopy();
    }

    /** A field of the configuration that applies to {@code subject}: its own, else the global one's. */
    private JsonNode config(String subject, String field) {
        ObjectNode own = subject == null ? null : configs.get(subject);
        if (own != null && own.hasNonNull(field)) {
            return own.get(field);
        }
        ObjectNode global = configs.get("");
        return global != null && global.hasNonNull(field) ? global.get(field) : null;
    }

    /**
     * Sets {@code subject}'s compatibility mode (null: unchanged) and the metadata and rule set fields {@code
     * fields} names (others unchanged).
     */
    synchronized void setConfig(String subject, String mode, ObjectNode fields) {
        ObjectNode config = config(subject);
        if (fields != null) {
            for (String f : CONFIG_FIELDS) {
                if (fields.has(f)) {
                    config.set(f, fields.get(f));
                }
            }
        }
        String compatibility = mode != null ? mode : subject == null ? globalMode : modes.get(subject);
        StoreEntry entry = StoreEntry.config(subject, compatibility, config.toString());
        store.append(entry);
        apply(entry);
    }

    /**
     * {@code over} merged onto {@code under} as Confluent's {@code Metadata.mergeMetadata}: properties and tags by key
     * ({@code over}'s value, a property's or a path's whole tag list, replacing {@code under}'s), sensitive names as a
     * set.
     */
    static JsonNode mergeMetadata(JsonNode under, JsonNode over) {
        if (under == null || under.isNull()) {
            return over == null || over.isNull() ? null : over;
        }
        if (over == null || over.isNull()) {
            return under;
        }
        ObjectNode out = JSON.createObjectNode();
        ObjectNode props = JSON.createObjectNode();
        under.path("properties").fields().forEachRemaining(e -> props.set(e.getKey(), e.getValue()));
        over.path("properties").fields().forEachRemaining(e -> props.set(e.getKey(), e.getValue()));
        ObjectNode tags = JSON.createObjectNode();
        under.path("tags").fields().forEachRemaining(e -> tags.set(e.getKey(), e.getValue()));
        over.path("tags").fields().forEachRemaining(e -> tags.set(e.getKey(), e.getValue()));
        Set<String> sensitive = new LinkedHashSet<>();
        under.path("sensitive").forEach(s -> sensitive.add(s.asText()));
        over.path("sensitive").forEach(s -> sensitive.add(s.asText()));
        if (!tags.isEmpty()) {
            out.set("tags", tags);
        }
        if (!props.isEmpty()) {
            out.set("properties", props);
        }
        if (!sensitive.isEmpty()) {
            ArrayNode a = out.putArray("sensitive");
            sensitive.forEach(a::add);
        }
        return out;
    }

    /**
     * {@code over} merged onto {@code under} as Confluent's {@code RuleSet.mergeRuleSets}: per kind (domain, migration),
     * {@code under}'s rules without those {@code over} names again, then {@code over}'s, in their order (rules run in
     * that order, and the first that fails is the one a serializer names).
     */
    static JsonNode mergeRuleSet(JsonNode under, JsonNode over) {
        if (under == null || under.isNull()) {
            return over == null || over.isNull() ? null : over;
        }
        if (over == null || over.isNull()) {
            return under;
        }
        ObjectNode out = JSON.createObjectNode();
        for (String kind : List.of("migrationRules", "domainRules")) {
            Map<String, JsonNode> byName = new LinkedHashMap<>();
            under.path(kind).forEach(r -> byName.put(r.path("name").asText(), r));
            over.path(kind).forEach(r -> byName.remove(r.path("name").asText()));
            over.path(kind).forEach(r -> byName.put(r.path("name").asText(), r));
            if (!byName.isEmpty()) {
                ArrayNode a = out.putArray(kind);
                byName.values().forEach(a::add);
            }
        }
        return out;
    }
}
