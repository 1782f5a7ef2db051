package io.backbone.product;

import io.backbone.contract.FieldPath;
import io.backbone.contract.rules.CelExpression;

/**
 * How an entity product turns a stream of changes or events into the latest state per key (a compacted topic): the
 * field of the input record that holds the state ({@code state}; null: the whole record), and the CEL condition
 * under which the entity is deleted (a tombstone; null: never), and the field of the input record that identifies a
 * change ({@code changeId}; null: none), so that a change seen twice within the output contract's dedupWindow is
 * applied once. The key is the input record's key.
 */
public record EntitySpec(
        String state, FieldPath statePath, String deletedWhen, CelExpression deleted, FieldPath changeId) {

    /** The property name under an output port's customProperties that declares an entity product. */
    public static final String PROPERTY = "entity";
}
