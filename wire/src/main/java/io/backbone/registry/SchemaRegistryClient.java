package io.backbone.registry;

import java.util.List;
import org.apache.avro.Schema;

/** What the backbone needs from a Confluent-compatible schema registry. */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The id of {@code schema} if it is already registered under {@code subject}. */
    int idOf(String subject, Schema schema);

    /** The schema with global id {@code id}; {@link SchemaNotFoundException} if there is none. */
    Schema schemaById(int id);

    /** The newest version registered under {@code subject}. */
    RegisteredSchema latest(String subject);

    /** All versions registered under {@code subject}, oldest first. */
    List<Integer> versions(String subject);

    /** Whether {@code schema} may be registered under {@code subject} under its compatibility mode. */
    boolean isCompatible(String subject, Schema schema);

    /** Sets the subject's compatibility mode (BACKWARD, FORWARD, FULL, NONE, or a _TRANSITIVE variant). */
    void setCompatibility(String subject, String mode);

    /** The subject's compatibility mode, falling back to the global one. */
    String compatibility(String subject);

    /**
     * Registers {@code schema} with a Confluent data contract: {@code metadata} and {@code ruleSet} as JSON (null:
     * none); a schema that differs only in its rules is a new version. Returns its global id.
     */
    int register(String subject, Schema schema, String metadata, String ruleSet);

    /** The rule set (JSON) of the subject's newest version; null when it has none. */
    String latestRuleSet(String subject);

    /**
     * Soft-deletes {@code subject} (its versions leave the listings, their schema ids still resolve), or deletes a
     * soft-deleted one for good with {@code permanent}; returns the versions deleted, none when there is no such
     * subject.
     */
    List<Integer> deleteSubject(String subject, boolean permanent);

    @Override
    default void close() {}
}
