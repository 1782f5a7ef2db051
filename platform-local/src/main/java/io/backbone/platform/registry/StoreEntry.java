package io.backbone.platform.registry;

/**
 * One change of registry state, replayed in order on start:
 *
 * <ul>
 *   <li>{@code SCHEMA}: a version registered ({@code metadata} and {@code ruleSet} as JSON, null when none), or the
 *       same version soft-deleted ({@code deleted});
 *   <li>{@code GONE}: a version permanently deleted;
 *   <li>{@code CONFIG}: a subject's configuration (subject null for the global one): its compatibility mode and, as
 *       JSON in {@code config}, its default and override metadata and rule sets.
 * </ul>
 */
record StoreEntry(
        String kind,
        String subject,
        int version,
        int id,
        String schema,
        String compatibility,
        String metadata,
        String ruleSet,
        boolean deleted,
        String config) {
    static StoreEntry schema(String subject, int version, int id, String schema, String metadata, String ruleSet) {
        return new StoreEntry("SCHEMA", subject, version, id, schema, null, metadata, ruleSet, false, null);
    }

    StoreEntry softDeleted() {
        return new StoreEntry(kind, subject, version, id, schema, compatibility, metadata, ruleSet, true, config);
    }

    static StoreEntry gone(String subject, int version) {
        return new StoreEntry("GONE", subject, version, 0, null, null, null, null, true, null);
    }

    static StoreEntry config(String subject, String compatibility, String config) {
        return new StoreEntry("CONFIG", subject, 0, 0, null, compatibility, null, null, false, config);
    }

    /** The compaction key: the newest entry per key is all a restart needs. */
    String key() {
        return "CONFIG".equals(kind)
                ? "CONFIG/" + (subject == null ? "" : subject)
                : "SCHEMA/" + subject + "/" + version;
    }
}
