package io.backbone.platform.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaValidationException;
import org.apache.avro.SchemaValidator;
import org.apache.avro.SchemaValidatorBuilder;

/** The registry's subjects, versions, ids and compatibility modes; every change goes through the store first. */
final class RegistryState {
    static final Set<String> MODES = Set.of(
            "NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

    record Version(int version, int id) {}

    private final SchemaStore store;
    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<String, List<Version>> subjects = new LinkedHashMap<>();
    private final Map<String, String> configs = new HashMap<>();
    private String globalMode = "BACKWARD";
    private int nextId = 1;

    RegistryState(SchemaStore store) {
        this.store = store;
        store.replay(this::apply);
    }

    private void apply(StoreEntry e) {
        if ("SCHEMA".equals(e.kind())) {
            byId.putIfAbsent(e.id(), new Schema.Parser().parse(e.schema()));
            List<Version> versions = subjects.computeIfAbsent(e.subject(), s -> new ArrayList<>());
            versions.removeIf(v -> v.version() == e.version());
            versions.add(new Version(e.version(), e.id()));
            versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
            nextId = Math.max(nextId, e.id() + 1);
        } else if (e.subject() == null) {
            globalMode = e.compatibility();
        } else {
            configs.put(e.subject(), e.compatibility());
        }
    }

    synchronized Schema schema(int id) {
        return byId.get(id);
    }

    synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    synchronized List<Version> versions(String subject) {
        return subjects.get(subject) == null ? null : List.copyOf(subjects.get(subject));
    }

    synchronized Version find(String subject, Schema schema) {
        for (Version v : subjects.getOrDefault(subject, List.of())) {
            if (byId.get(v.id()).equals(schema)) {
                return v;
            }
        }
        return null;
    }

    /** Registers {@code schema}: the existing version if identical, a new one if compatible, else throws. */
    synchronized Version register(String subject, Schema schema) throws SchemaValidationException {
        Version existing = find(subject, schema);
        if (existing != null) {
            return existing;
        }
        checkCompatible(subject, schema, null);
        int id = byId.entrySet().stream()
                .filter(e -> e.getValue().equals(schema))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(nextId);
        List<Version> versions = subjects.getOrDefault(subject, List.of());
        int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
        StoreEntry entry = StoreEntry.schema(subject, version, id, schema.toString());
        store.append(entry);
        apply(entry);
        return new Version(version, id);
    }

    /** Throws if {@code schema} breaks the subject's mode against {@code against} (null: the mode's own set). */
    synchronized void checkCompatible(String subject, Schema schema, Version against) throws SchemaValidationException {
        String mode = mode(subject);
        List<Version> versions = subjects.getOrDefault(subject, List.of());
        if ("NONE".equals(mode) || versions.isEmpty()) {
            return;
        }
        List<Schema> existing = new ArrayList<>();
        if (against != null) {
            existing.add(byId.get(against.id()));
        } else {
            boolean transitive = mode.endsWith("_TRANSITIVE");
            for (int i = versions.size() - 1; i >= 0; i--) {
                existing.add(byId.get(versions.get(i).id()));
                if (!transitive) {
                    break;
                }
            }
        }
        validator(mode).validate(schema, existing);
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
        return subject == null ? globalMode : configs.getOrDefault(subject, globalMode);
    }

    synchronized String subjectMode(String subject) {
        return configs.get(subject);
    }

    synchronized void setMode(String subject, String mode) {
        StoreEntry entry = StoreEntry.config(subject, mode);
        store.append(entry);
        apply(entry);
    }
}
