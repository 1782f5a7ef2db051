package io.backbone.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * A contract property path ({@code customerId}, {@code address.city}, {@code lines[].sku}) resolved once against an
 * Avro schema to field positions, so that reading a value per record is a few array lookups.
 */
public final class FieldPath {
    private final String path;
    private final int[] positions;
    private final boolean[] arrays;
    private final Schema leaf;
    private final boolean leafNullable;

    private FieldPath(String path, int[] positions, boolean[] arrays, Schema leaf, boolean leafNullable) {
        this.path = path;
        this.positions = positions;
        this.arrays = arrays;
        this.leaf = leaf;
        this.leafNullable = leafNullable;
    }

    /** Resolves {@code path}; throws IllegalArgumentException naming the first segment the schema lacks. */
    public static FieldPath resolve(Schema schema, String path) {
        String[] segments = path.split("\\.");
        int[] positions = new int[segments.length];
        boolean[] arrays = new boolean[segments.length];
        Schema current = schema;
        boolean nullable = false;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean array = segment.endsWith("[]");
            String name = array ? segment.substring(0, segment.length() - 2) : segment;
            Schema record = nonNull(current);
            if (record.getType() != Schema.Type.RECORD) {
                throw new IllegalArgumentException(
                        "'" + String.join(".", List.of(segments).subList(0, i)) + "' is a " + record.getType()
                                + ", it has no field '" + name + "'");
            }
            Schema.Field field = record.getField(name);
            if (field == null) {
                throw new IllegalArgumentException("record " + record.getFullName() + " has no field '" + name + "'");
            }
            positions[i] = field.pos();
            arrays[i] = array;
            nullable = isNullable(field.schema());
            current = field.schema();
            if (array) {
                Schema arr = nonNull(current);
                if (arr.getType() != Schema.Type.ARRAY) {
                    throw new IllegalArgumentException("field '" + name + "' is a " + arr.getType() + ", not an array");
                }
                current = arr.getElementType();
            }
        }
        return new FieldPath(path, positions, arrays, nonNull(current), nullable);
    }

    public String path() {
        return path;
    }

    /** Whether the path crosses no array, so that it holds exactly one value (possibly null). */
    public boolean scalar() {
        for (boolean array : arrays) {
            if (array) {
                return false;
            }
        }
        return true;
    }

    /** The leaf's schema, without a null branch. */
    public Schema leafSchema() {
        return leaf;
    }

    /** Whether the leaf field's Avro type allows null. */
    public boolean leafNullable() {
        return leafNullable;
    }

    /** Calls {@code visitor} with each value at this path (several below an array; null where a parent is null). */
    public void visit(GenericRecord record, Consumer<Object> visitor) {
        visit(record, 0, visitor);
    }

    private void visit(Object node, int depth, Consumer<Object> visitor) {
        if (node == null) {
            visitor.accept(null);
            return;
        }
        Object value = ((GenericRecord) node).get(positions[depth]);
        if (depth == positions.length - 1 && !arrays[depth]) {
            visitor.accept(value);
            return;
        }
        if (arrays[depth]) {
            if (value == null) {
                return;
            }
            for (Object item : (List<?>) value) {
                if (depth == positions.length - 1) {
                    visitor.accept(item);
                } else {
                    visit(item, depth + 1, visitor);
                }
            }
        } else {
            visit(value, depth + 1, visitor);
        }
    }

    /** The first value at this path (null if a parent is null or an array is empty), without allocating. */
    public Object first(GenericRecord record) {
        Object node = record;
        for (int i = 0; i < positions.length; i++) {
            if (node == null) {
                return null;
            }
            Object value = ((GenericRecord) node).get(positions[i]);
            if (arrays[i]) {
                if (value == null || ((List<?>) value).isEmpty()) {
                    return null;
                }
                value = ((List<?>) value).get(0);
            }
            node = value;
        }
        return node;
    }

    /** All values at this path. */
    public List<Object> values(GenericRecord record) {
        List<Object> out = new ArrayList<>(1);
        visit(record, out::add);
        return out;
    }

    /**
     * Replaces each value at this path with {@code fn(value)}; missing parents are left alone. Returns whether any
     * value was replaced by another object ({@code fn} returning its argument itself means unchanged).
     */
    public boolean update(GenericRecord record, UnaryOperator<Object> fn) {
        return update(record, 0, fn);
    }

    @SuppressWarnings("unchecked")
    private boolean update(GenericRecord record, int depth, UnaryOperator<Object> fn) {
        int pos = positions[depth];
        Object value = record.get(pos);
        boolean last = depth == positions.length - 1;
        boolean changed = false;
        if (arrays[depth]) {
            if (value == null) {
                return false;
            }
            List<Object> list = (List<Object>) value;
            for (int i = 0; i < list.size(); i++) {
                Object item = list.get(i);
                if (last) {
                    Object after = fn.apply(item);
                    if (after != item) {
                        list.set(i, after);
                        changed = true;
                    }
                } else if (item != null) {
                    changed |= update((GenericRecord) item, depth + 1, fn);
                }
            }
        } else if (last) {
            Object after = fn.apply(value);
            if (after != value) {
                record.put(pos, after);
                changed = true;
            }
        } else if (value != null) {
            changed = update((GenericRecord) value, depth + 1, fn);
        }
        return changed;
    }

    /** {@code schema} without its null branch, for the nullable unions {@code ["null", T]}. */
    public static Schema nonNull(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) {
                    return branch;
                }
            }
        }
        return schema;
    }

    private static boolean isNullable(Schema schema) {
        return schema.getType() == Schema.Type.NULL
                || (schema.getType() == Schema.Type.UNION
                        && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL));
    }

    @Override
    public String toString() {
        return path;
    }
}
