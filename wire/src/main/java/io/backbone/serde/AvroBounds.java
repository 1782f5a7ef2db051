package io.backbone.serde;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Checks an Avro binary body against its writer schema before anything is decoded: every length and count the bytes
 * declare must fit in the bytes that are left, and containers may nest {@link #MAX_DEPTH} levels deep, so that a
 * producer can make the reader neither allocate memory the record does not hold nor recurse until its stack
 * overflows. The decoder walks only {@link #recursive} schemas first; lengths it checks as it reads.
 *
 * <p>Compiled once per writer schema; {@link #check} walks the bytes without allocating. A block of items that encode
 * to no bytes at all (an array of nulls) is bounded by {@link #MAX_EMPTY_ITEMS}, nesting by {@link #MAX_DEPTH}.
 */
public final class AvroBounds {
    /** Containers (records, arrays, maps, unions) nested deeper than this are refused: the reader recurses per level. */
    public static final int MAX_DEPTH = 128;
    /** Items of a block whose items take no bytes (null, an empty record) that one record may declare. */
    public static final int MAX_EMPTY_ITEMS = 1 << 16;

    private final Node root;
    private final boolean recursive;

    private AvroBounds(Node root, boolean recursive) {
        this.root = root;
        this.recursive = recursive;
    }

    /** Compiles the walk for {@code writer}; recursive schemas are supported. */
    public static AvroBounds of(Schema writer) {
        Compiler c = new Compiler();
        Node root = c.compile(writer);
        return new AvroBounds(root, c.recursive);
    }

    /**
     * Whether the schema contains itself (a record reachable from its own fields): only then is the depth of a value
     * bounded by its bytes rather than by its schema, and only then does the decoder walk it first (see
     * {@link AvroDecoder}); every other length is checked as it is read ({@link BoundedDecoder}).
     */
    public boolean recursive() {
        return recursive;
    }

    /**
     * Throws {@link PoisonPillException} (kind {@code LENGTH_EXCEEDS_RECORD} or {@code NESTING_TOO_DEEP}) unless the
     * bytes {@code from} (inclusive) to {@code to} (exclusive) can be read with the writer schema without a declared
     * length running past {@code to}.
     */
    public void check(byte[] bytes, int from, int to) {
        new Cursor(bytes, from, to).walk(root, 0);
    }

    private abstract static class Node {
        /** The fewest bytes a value of this type encodes to. */
        int minSize;
    }

    private static final class Fixed extends Node {
        final Schema.Type type;

        Fixed(Schema.Type type, int size) {
            this.type = type;
            this.minSize = size;
        }
    }

    private static final class Varint extends Node {
        final int maxBytes;
        final int enumSymbols;

        Varint(int maxBytes, int enumSymbols) {
            this.maxBytes = maxBytes;
            this.enumSymbols = enumSymbols;
            this.minSize = 1;
        }
    }

    private static final class Sized extends Node {
        final Schema.Type type;

        Sized(Schema.Type type) {
            this.type = type;
            this.minSize = 1;
        }
    }

    private static final class RecordNode extends Node {
        Node[] fields = new Node[0];
        final String name;

        RecordNode(String name) {
            this.name = name;
        }
    }

    private static final class Collection extends Node {
        Node items;
        final boolean map;

        Collection(boolean map) {
            this.map = map;
            this.minSize = 1;
        }

        /** The fewest bytes one item encodes to (a map's key is a string, at least one byte). */
        int itemMinSize() {
            return map ? 1 + items.minSize : items.minSize;
        }
    }

    private static final class Union extends Node {
        Node[] branches;

        Union() {
            this.minSize = 1;
        }
    }

    private static final class Compiler {
        private final Map<Schema, RecordNode> records = new IdentityHashMap<>();
        private final Map<Schema, Boolean> inProgress = new IdentityHashMap<>();
        private boolean recursive;

        Node compile(Schema s) {
            switch (s.getType()) {
                case NULL:
                    return new Fixed(Schema.Type.NULL, 0);
                case BOOLEAN:
                    return new Fixed(Schema.Type.BOOLEAN, 1);
                case FLOAT:
                    return new Fixed(Schema.Type.FLOAT, 4);
                case DOUBLE:
                    return new Fixed(Schema.Type.DOUBLE, 8);
                case FIXED:
                    return new Fixed(Schema.Type.FIXED, s.getFixedSize());
                case INT:
                    return new Varint(5, -1);
                case LONG:
                    return new Varint(10, -1);
                case ENUM:
                    return new Varint(5, s.getEnumSymbols().size());
                case STRING:
                case BYTES:
                    return new Sized(s.getType());
                case ARRAY: {
                    Collection c = new Collection(false);
                    c.items = compile(s.getElementType());
                    return c;
                }
                case MAP: {
                    Collection c = new Collection(true);
                    c.items = compile(s.getValueType());
                    return c;
                }
                case UNION: {
                    Union u = new Union();
                    List<Node> branches = new ArrayList<>();
                    for (Schema b : s.getTypes()) {
                        branches.add(compile(b));
                    }
                    u.branches = branches.toArray(new Node[0]);
                    return u;
                }
                case RECORD: {
                    RecordNode existing = records.get(s);
                    if (existing != null) {
                        if (inProgress.containsKey(s)) {
                            recursive = true; // its minSize is still being summed: 0 is a safe lower bound
                        }
                        return existing;
                    }
                    RecordNode r = new RecordNode(s.getFullName());
                    records.put(s, r);
                    inProgress.put(s, Boolean.TRUE);
                    List<Node> fields = new ArrayList<>();
                    int min = 0;
                    for (Schema.Field f : s.getFields()) {
                        Node n = compile(f.schema());
                        fields.add(n);
                        min += n.minSize;
                    }
                    r.fields = fields.toArray(new Node[0]);
                    r.minSize = min;
                    inProgress.remove(s);
                    return r;
                }
                default:
                    throw new IllegalArgumentException("unsupported Avro type " + s.getType());
            }
        }
    }

    /** One walk over one body. */
    private static final class Cursor {
        private final byte[] b;
        private final int start;
        private final int end;
        private int pos;
        private long emptyItems;

        Cursor(byte[] b, int from, int to) {
            this.b = b;
            this.start = from;
            this.end = to;
            this.pos = from;
        }

        void walk(Node n, int depth) {
            if (n instanceof Varint v) {
                long value = varint(v.maxBytes);
                if (v.enumSymbols >= 0 && (value < 0 || value >= v.enumSymbols)) {
                    throw undecodable("enum index " + value + " is not one of the " + v.enumSymbols + " symbols");
                }
            } else if (n instanceof Sized) {
                long length = varint(10);
                if (length < 0 || length > end - pos) {
                    throw exceeds(((Sized) n).type.getName() + " of " + length + " bytes");
                }
                pos += (int) length;
            } else if (n instanceof Fixed f) {
                if (f.minSize > end - pos) {
                    throw exceeds(f.type.getName() + " of " + f.minSize + " bytes");
                }
                pos += f.minSize;
            } else if (n instanceof RecordNode r) {
                nest(depth, r.name);
                for (Node field : r.fields) {
                    walk(field, depth + 1);
                }
            } else if (n instanceof Union u) {
                nest(depth, "union");
                long index = varint(5);
                if (index < 0 || index >= u.branches.length) {
                    throw undecodable(
                            "union branch " + index + " is not one of the " + u.branches.length + " branches");
                }
                walk(u.branches[(int) index], depth + 1);
            } else {
                Collection c = (Collection) n;
                nest(depth, c.map ? "map" : "array");
                int itemMin = c.itemMinSize();
                for (long count = varint(10); count != 0; count = varint(10)) {
                    if (count < 0) {
                        // a negative count is followed by the block's size in bytes
                        count = -count;
                        long size = varint(10);
                        if (size < 0 || size > end - pos) {
                            throw exceeds((c.map ? "map" : "array") + " block of " + size + " bytes");
                        }
                    }
                    if (count < 0 || (itemMin > 0 && count > (end - pos) / itemMin)) {
                        throw exceeds((c.map ? "map" : "array") + " block of " + count + " items");
                    }
                    if (itemMin == 0) {
                        emptyItems += count;
                        if (emptyItems > MAX_EMPTY_ITEMS) {
                            throw exceeds((c.map ? "map" : "array") + " of " + emptyItems
                                    + " items of no bytes each (at most " + MAX_EMPTY_ITEMS + ")");
                        }
                    }
                    for (long i = 0; i < count; i++) {
                        if (c.map) {
                            walk(KEY, depth + 1);
                        }
                        walk(c.items, depth + 1);
                    }
                }
            }
        }

        private void nest(int depth, String what) {
            if (depth >= MAX_DEPTH) {
                throw new PoisonPillException(
                        PoisonPillException.Kind.NESTING_TOO_DEEP,
                        what + " at byte " + (pos - start) + " is nested deeper than " + MAX_DEPTH + " levels");
            }
        }

        private long varint(int maxBytes) {
            long value = 0;
            int shift = 0;
            for (int i = 0; i < maxBytes; i++) {
                if (pos >= end) {
                    throw undecodable("the body ends inside a number");
                }
                int x = b[pos++];
                value |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return (value >>> 1) ^ -(value & 1); // zig-zag
                }
                shift += 7;
            }
            throw undecodable("a number longer than " + maxBytes + " bytes");
        }

        private PoisonPillException undecodable(String what) {
            return new PoisonPillException(
                    PoisonPillException.Kind.UNDECODABLE, what + " at byte " + (pos - start) + " of the body");
        }

        private PoisonPillException exceeds(String what) {
            return new PoisonPillException(
                    PoisonPillException.Kind.LENGTH_EXCEEDS_RECORD,
                    what + " declared at byte " + (pos - start) + " does not fit the " + (end - start) + "-byte body ("
                            + Math.max(0, end - pos) + " left)");
        }
    }

    private static final Sized KEY = new Sized(Schema.Type.STRING);
}
