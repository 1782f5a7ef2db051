package io.backbone.contract.diff;

/**
 * One difference between two versions of a contract: what kind, where, what it means, whether it breaks someone
 * who relied on the old version, and who ({@code consumers} of the topic, or its {@code producers}).
 */
public record Change(Kind kind, String where, String description, boolean breaking, String affects) {

    /** The kinds of change a reviewer tells apart. */
    public enum Kind {
        FIELD_ADDED("field added"),
        FIELD_REMOVED("field removed"),
        FIELD_RENAMED("field renamed"),
        TYPE_CHANGED("type changed"),
        RULE_TIGHTENED("rule tightened"),
        RULE_LOOSENED("rule loosened"),
        RULE_ADDED("rule added"),
        RULE_DROPPED("rule dropped"),
        RULE_CHANGED("rule changed"),
        SLA_WEAKENED("service level weakened"),
        SLA_IMPROVED("service level improved"),
        KEY_CHANGED("key changed"),
        MAPPING_CHANGED("mapping changed"),
        CLASSIFICATION_CHANGED("classification changed"),
        CORRECTION_ADDED("correction added"),
        CORRECTION_REMOVED("correction removed"),
        CORRECTION_CHANGED("correction changed"),
        AUDIENCE_CHANGED("audience changed"),
        TOPIC_CHANGED("topic changed"),
        COMPATIBILITY_CHANGED("compatibility mode changed"),
        LIFECYCLE_CHANGED("lifecycle changed"),
        DOCUMENTATION_CHANGED("documentation changed");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
