package io.backbone.cdc;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * The Avro schemas of one captured table, derived from the columns Debezium reports: the row ({@code Stock}), the
 * primary key ({@code StockKey}) and the change ({@code StockChange}: changeId, op, before, after, source,
 * committedAt), all in namespace {@code io.backbone.<domain>.cdc}. Derived the same way every time, so that the
 * schema a contract's .avsc describes is the one the capture registers, and an added column is a new version.
 */
public final class ChangeSchemas {
    static final List<String> OPERATIONS = List.of("CREATE", "UPDATE", "DELETE", "READ");

    private final String table;
    private final Schema row;
    private final Schema key;
    private final Schema change;
    private final List<Column> rowColumns;
    private final List<Column> keyColumns;

    /** How one column's Connect value becomes an Avro value. */
    enum Kind {
        INT,
        LONG,
        FLOAT,
        DOUBLE,
        BOOLEAN,
        STRING,
        BYTES,
        ZONED_TIMESTAMP,
        MICRO_TIMESTAMP,
        NANO_TIMESTAMP,
        MILLI_TIMESTAMP,
        CONNECT_TIMESTAMP,
        DAYS
    }

    record Column(String name, Kind kind, boolean optional) {}

    private ChangeSchemas(
            String table, Schema row, Schema key, Schema change, List<Column> rowColumns, List<Column> keyColumns) {
        this.table = table;
        this.row = row;
        this.key = key;
        this.change = change;
        this.rowColumns = rowColumns;
        this.keyColumns = keyColumns;
    }

    /**
     * Derives the schemas of {@code schema.table} from Debezium's row and key schemas; a column type without an Avro
     * mapping is an {@link IllegalArgumentException} naming the table, the column and the fix.
     */
    public static ChangeSchemas derive(
            String domain,
            String table,
            org.apache.kafka.connect.data.Schema rowSchema,
            org.apache.kafka.connect.data.Schema keySchema) {
        String namespace = "io.backbone." + domain.replace('-', '_') + ".cdc";
        String name = recordName(table.substring(table.indexOf('.') + 1));
        List<Column> rowColumns = new ArrayList<>();
        Schema row = record(namespace, name, table, rowSchema, rowColumns);
        List<Column> keyColumns = new ArrayList<>();
        Schema key = record(namespace, name + "Key", table, keySchema, keyColumns);
        Schema change = changeSchema(namespace, name, row);
        return new ChangeSchemas(table, row, key, change, List.copyOf(rowColumns), List.copyOf(keyColumns));
    }

    /** {@code stock} → {@code Stock}, {@code order_lines} → {@code OrderLines}. */
    static String recordName(String table) {
        StringBuilder out = new StringBuilder();
        for (String part : table.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        if (out.isEmpty() || !Character.isLetter(out.charAt(0))) {
            out.insert(0, "T");
        }
        return out.toString();
    }

    private static Schema record(
            String namespace,
            String name,
            String table,
            org.apache.kafka.connect.data.Schema connect,
            List<Column> columns) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Field f : connect.fields()) {
            Kind kind = kind(table, f);
            Schema type = avroType(kind);
            boolean optional = f.schema().isOptional();
            Schema.Field field;
            if (optional) {
                field = new Schema.Field(
                        f.name(),
                        Schema.createUnion(Schema.create(Schema.Type.NULL), type),
                        null,
                        Schema.Field.NULL_DEFAULT_VALUE);
            } else {
                field = new Schema.Field(f.name(), type);
            }
            fields.add(field);
            columns.add(new Column(f.name(), kind, optional));
        }
        return Schema.createRecord(name, null, namespace, false, fields);
    }

    private static Kind kind(String table, Field f) {
        org.apache.kafka.connect.data.Schema s = f.schema();
        String logical = s.name() == null ? "" : s.name();
        switch (logical) {
            case "io.debezium.time.ZonedTimestamp":
                return Kind.ZONED_TIMESTAMP;
            case "io.debezium.time.MicroTimestamp":
                return Kind.MICRO_TIMESTAMP;
            case "io.debezium.time.NanoTimestamp":
                return Kind.NANO_TIMESTAMP;
            case "io.debezium.time.Timestamp":
                return Kind.MILLI_TIMESTAMP;
            case "org.apache.kafka.connect.data.Timestamp":
                return Kind.CONNECT_TIMESTAMP;
            case "io.debezium.time.Date":
                return Kind.DAYS;
            default:
                break;
        }
        if (!logical.isEmpty()
                && !logical.startsWith("io.debezium.data.")
                && s.type() != org.apache.kafka.connect.data.Schema.Type.STRING) {
            throw unsupported(table, f, logical);
        }
        return switch (s.type()) {
            case INT8, INT16, INT32 -> Kind.INT;
            case INT64 -> Kind.LONG;
            case FLOAT32 -> Kind.FLOAT;
            case FLOAT64 -> Kind.DOUBLE;
            case BOOLEAN -> Kind.BOOLEAN;
            case STRING -> Kind.STRING;
            case BYTES -> Kind.BYTES;
            default -> throw unsupported(table, f, s.type().getName());
        };
    }

    private static IllegalArgumentException unsupported(String table, Field f, String type) {
        return new IllegalArgumentException("table " + table + ", column " + f.name() + ": type " + type
                + " has no Avro mapping in the capture (supported: integers, floating point, boolean, text,"
                + " bytea, numeric as text, date, timestamp, timestamptz); change the column's type or leave the"
                + " table out of --table");
    }

    private static Schema avroType(Kind kind) {
        return switch (kind) {
            case INT -> Schema.create(Schema.Type.INT);
            case LONG -> Schema.create(Schema.Type.LONG);
            case FLOAT -> Schema.create(Schema.Type.FLOAT);
            case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case STRING -> Schema.create(Schema.Type.STRING);
            case BYTES -> Schema.create(Schema.Type.BYTES);
            case DAYS -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case ZONED_TIMESTAMP, MICRO_TIMESTAMP, NANO_TIMESTAMP, MILLI_TIMESTAMP, CONNECT_TIMESTAMP ->
                LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        };
    }

    private static Schema changeSchema(String namespace, String name, Schema row) {
        Schema op =
                SchemaBuilder.enumeration("Operation").namespace(namespace).symbols(OPERATIONS.toArray(String[]::new));
        Schema source = SchemaBuilder.record("ChangeSource")
                .namespace(namespace)
                .fields()
                .requiredString("database")
                .requiredString("schema")
                .requiredString("table")
                .requiredLong("lsn")
                .optionalLong("txId")
                .requiredBoolean("snapshot")
                .endRecord();
        Schema nullableRow = Schema.createUnion(Schema.create(Schema.Type.NULL), row);
        List<Schema.Field> fields = List.of(
                new Schema.Field("changeId", Schema.create(Schema.Type.STRING)),
                new Schema.Field("op", op),
                new Schema.Field("before", nullableRow, null, Schema.Field.NULL_DEFAULT_VALUE),
                new Schema.Field("after", nullableRow, null, Schema.Field.NULL_DEFAULT_VALUE),
                new Schema.Field("source", source),
                new Schema.Field(
                        "committedAt", LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))));
        return Schema.createRecord(name + "Change", null, namespace, false, fields);
    }

    public String table() {
        return table;
    }

    public Schema row() {
        return row;
    }

    public Schema key() {
        return key;
    }

    public Schema change() {
        return change;
    }

    /** The Avro row of a Connect row struct (null stays null), in {@code schema} (the derived one or its equal). */
    GenericRecord row(Struct struct, Schema schema) {
        return struct == null ? null : record(struct, schema, rowColumns);
    }

    GenericRecord key(Struct struct) {
        return record(struct, key, keyColumns);
    }

    private static GenericRecord record(Struct struct, Schema schema, List<Column> columns) {
        GenericRecord out = new GenericData.Record(schema);
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            out.put(i, value(c, struct.get(c.name())));
        }
        return out;
    }

    private static Object value(Column c, Object v) {
        if (v == null) {
            return null;
        }
        return switch (c.kind()) {
            case INT -> ((Number) v).intValue();
            case LONG, MILLI_TIMESTAMP -> ((Number) v).longValue();
            case FLOAT -> ((Number) v).floatValue();
            case DOUBLE -> ((Number) v).doubleValue();
            case BOOLEAN -> v;
            case STRING -> v.toString();
            case BYTES -> v instanceof byte[] b ? ByteBuffer.wrap(b) : v;
            case DAYS -> ((Number) v).intValue();
            case MICRO_TIMESTAMP -> Math.floorDiv(((Number) v).longValue(), 1000L);
            case NANO_TIMESTAMP -> Math.floorDiv(((Number) v).longValue(), 1_000_000L);
            case CONNECT_TIMESTAMP -> ((java.util.Date) v).getTime();
            case ZONED_TIMESTAMP -> zoned(v.toString());
        };
    }

    private static long zoned(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return Instant.parse(text.toUpperCase(Locale.ROOT)).toEpochMilli();
        }
    }

    /** The Avro enum symbol of a Debezium operation code (c, u, d, r). */
    static String operation(String code) {
        return switch (code) {
            case "c" -> "CREATE";
            case "u" -> "UPDATE";
            case "d" -> "DELETE";
            case "r" -> "READ";
            default -> null;
        };
    }
}
