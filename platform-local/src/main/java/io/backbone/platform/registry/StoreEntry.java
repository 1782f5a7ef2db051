package io.backbone.platform.registry;

/**
 * One change of registry state: a schema version registered ({@code kind = SCHEMA}) or a compatibility mode set
 * ({@code kind = CONFIG}, subject null for the global one).
 */
record StoreEntry(String kind, String subject, int version, int id, String schema, String compatibility) {
    static StoreEntry schema(String subject, int version, int id, String schema) {
        return new StoreEntry("SCHEMA", subject, version, id, schema, null);
    }

    static StoreEntry config(String subject, String compatibility) {
        return new StoreEntry("CONFIG", subject, 0, 0, null, compatibility);
    }

    /** The compaction key: the newest entry per key is all a restart needs. */
    String key() {
        return "SCHEMA".equals(kind)
                ? "SCHEMA/" + subject + "/" + version
                : "CONFIG/" + (subject == null ? "" : subject);
    }
}
