package io.backbone.contract.rules;

import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * A record as CEL sees it, without copying it: a read-only map whose values are converted when read (ints widened
 * to CEL's int, enums as strings, timestamps as epoch millis, nested records and lists as views). Null fields are
 * absent keys, so {@code has(record.x)} tests them. Profiling showed that copying every record into maps cost more
 * than evaluating the rules.
 */
final class RecordView extends AbstractMap<String, Object> {
    private final GenericRecord record;

    RecordView(GenericRecord record) {
        this.record = record;
    }

    Schema schema() {
        return record.getSchema();
    }

    /** The value of the field at {@code pos}, as CEL sees it (null: absent). */
    Object at(int pos) {
        return convert(record.get(pos));
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String name)) {
            return null;
        }
        Schema.Field f = record.getSchema().getField(name);
        return f == null ? null : convert(record.get(f.pos()));
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Schema.Field f : record.getSchema().getFields()) {
            Object v = convert(record.get(f.pos()));
            if (v != null) {
                copy.put(f.name(), v);
            }
        }
        return copy.entrySet();
    }

    static Object convert(Object v) {
        if (v == null || v instanceof Long || v instanceof String || v instanceof Boolean || v instanceof Double) {
            return v;
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof java.time.Instant t) {
            // generated classes convert timestamp-millis to Instant; rules see the wire value
            return t.toEpochMilli();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof CharSequence || v instanceof GenericEnumSymbol<?> || v instanceof Enum<?>) {
            return v.toString();
        }
        if (v instanceof GenericRecord r) {
            return new RecordView(r);
        }
        if (v instanceof List<?> list) {
            return new AbstractList<Object>() {
                @Override
                public Object get(int index) {
                    return convert(list.get(index));
                }

                @Override
                public int size() {
                    return list.size();
                }
            };
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(k.toString(), convert(val)));
            return out;
        }
        if (v instanceof ByteBuffer b) {
            return com.google.protobuf.ByteString.copyFrom(b.duplicate());
        }
        if (v instanceof GenericFixed f) {
            return com.google.protobuf.ByteString.copyFrom(f.bytes());
        }
        return v;
    }
}
