package io.backbone.cdc;

import io.backbone.contract.CompiledContract;
import io.backbone.registry.RegisteredSchema;
import io.backbone.registry.SchemaNotFoundException;
import io.backbone.registry.SchemaRegistryClient;
import io.backbone.registry.SchemaRegistryException;
import io.backbone.serde.AvroEncoder;
import io.backbone.serde.AvroSerdeConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One captured table: turns each Debezium change of it into a Kafka record of its raw topic (key: the primary key,
 * value: the change, both Confluent-framed Avro; CloudEvents headers). A new column set (a column added or dropped)
 * derives new schemas, which must still resolve to the table's contract and are registered under the subject's
 * compatibility mode; either refusal stops the capture with a {@link CaptureStoppedException} naming the column.
 */
final class TableStream {
    private static final Logger LOG = LoggerFactory.getLogger(TableStream.class);

    private final String domain;
    private final String table;
    private final String topic;
    private final CompiledContract contract;
    private final SchemaRegistryClient registry;
    private final AvroEncoder encoder = new AvroEncoder();
    private org.apache.kafka.connect.data.Schema connectRow;
    private ChangeSchemas schemas;
    private Schema valueSchema;
    private Schema rowSchema;
    private int valueId;
    private int keyId;

    TableStream(String domain, String table, CompiledContract contract, SchemaRegistryClient registry) {
        this.domain = domain;
        this.table = table;
        this.topic = CdcCapture.rawTopic(domain, table);
        this.contract = contract;
        this.registry = registry;
    }

    String topic() {
        return topic;
    }

    ProducerRecord<byte[], byte[]> toRecord(SourceRecord record) {
        Struct value = (Struct) record.value();
        org.apache.kafka.connect.data.Schema row = value.schema().field("after").schema();
        if (!row.equals(connectRow)) {
            useSchemas(ChangeSchemas.derive(domain, table, row, record.keySchema()));
            connectRow = row;
        }
        String op = ChangeSchemas.operation(value.getString("op"));
        Struct source = value.getStruct("source");
        GenericRecord key = schemas.key((Struct) record.key());
        GenericRecord before = schemas.row(value.getStruct("before"), rowSchema);
        GenericRecord after = schemas.row(value.getStruct("after"), rowSchema);
        long lsn = source.getInt64("lsn") == null ? -1 : source.getInt64("lsn");
        boolean snapshot = "READ".equals(op);
        String changeId = snapshot ? table + ":snapshot:" + digest(key, after) : table + ":" + lsn + ":" + op.charAt(0);
        long committedAt = source.getInt64("ts_ms") != null ? source.getInt64("ts_ms") : value.getInt64("ts_ms");

        GenericRecord src =
                new GenericData.Record(valueSchema.getField("source").schema());
        src.put("database", source.getString("db"));
        src.put("schema", source.getString("schema"));
        src.put("table", source.getString("table"));
        src.put("lsn", lsn);
        src.put("txId", source.getInt64("txId"));
        src.put("snapshot", snapshot);
        GenericRecord change = new GenericData.Record(valueSchema);
        change.put("changeId", changeId);
        change.put("op", new GenericData.EnumSymbol(valueSchema.getField("op").schema(), op));
        change.put("before", before);
        change.put("after", after);
        change.put("source", src);
        change.put("committedAt", committedAt);

        RecordHeaders headers = new RecordHeaders();
        add(headers, "ce_specversion", "1.0");
        add(headers, "ce_id", changeId);
        add(headers, "ce_source", "/cdc/" + domain + "/" + source.getString("db") + "/" + table);
        add(
                headers,
                "ce_type",
                "io.backbone." + domain + "." + table.substring(table.indexOf('.') + 1) + "."
                        + op.toLowerCase(java.util.Locale.ROOT));
        add(headers, "ce_time", Instant.ofEpochMilli(committedAt).toString());
        add(headers, "ce_subject", subject(key));
        add(headers, "content-type", "application/avro");
        return new ProducerRecord<>(
                topic,
                null,
                committedAt,
                encoder.encode(keyId, schemas.key(), key),
                encoder.encode(valueId, valueSchema, change),
                headers);
    }

    /** Derives, checks against the contract and registers the schemas of a (new) column set. */
    private void useSchemas(ChangeSchemas derived) {
        String valueSubject = AvroSerdeConfig.valueSubject(topic);
        Schema value = derived.change();
        if (contract != null) {
            if (contract.schema().equals(value)) {
                value = contract.schema(); // the contract's own .avsc, with its documentation
            } else {
                SchemaCompatibility.SchemaPairCompatibility pair =
                        SchemaCompatibility.checkReaderWriterCompatibility(contract.schema(), value);
                if (pair.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    throw new CaptureStoppedException("table " + table + ": "
                            + columnDifference(rowOf(contract.schema()), derived.row())
                            + ", so its changes no longer fit contract " + contract.id() + " ("
                            + contract.contract().file() + ")"
                            + "; fix: restore the column in the database, or change the contract first (a new"
                            + " major version if consumers rely on the column)");
                }
            }
        }
        Schema previous = latestRow(valueSubject);
        try {
            valueId = idOf(valueSubject, value);
            keyId = idOf(AvroSerdeConfig.keySubject(topic), derived.key());
        } catch (SchemaRegistryException e) {
            if (e.status() != 409) {
                throw e;
            }
            String compatibility;
            try {
                compatibility = registry.compatibility(valueSubject);
            } catch (RuntimeException unknown) {
                compatibility = "its compatibility mode";
            }
            throw new CaptureStoppedException("table " + table + ": "
                    + (previous == null ? "the new columns" : columnDifference(previous, derived.row()))
                    + " is not allowed under " + compatibility + " of subject " + valueSubject
                    + "; fix: make an added column nullable or give it a DEFAULT (or drop it again), then restart"
                    + " the capture");
        }
        if (previous != null && !previous.equals(derived.row())) {
            LOG.info(
                    "Table {}: {}; registered schema id {} under {}",
                    table,
                    columnDifference(previous, derived.row()),
                    valueId,
                    valueSubject);
        }
        schemas = derived;
        valueSchema = value;
        rowSchema = rowOf(value);
    }

    /**
     * The id of {@code schema} under {@code subject}: looked up first (a read, which a registry that lets only the
     * platform write allows), registered only when the subject does not have it yet (a new column set).
     */
    private int idOf(String subject, Schema schema) {
        try {
            return registry.idOf(subject, schema);
        } catch (SchemaNotFoundException notYet) {
            return registry.register(subject, schema);
        }
    }

    private Schema latestRow(String subject) {
        try {
            RegisteredSchema latest = registry.latest(subject);
            return latest == null ? null : rowOf(latest.schema());
        } catch (SchemaNotFoundException e) {
            return null;
        }
    }

    private static Schema rowOf(Schema change) {
        Schema.Field after = change.getField("after");
        return after == null ? change : io.backbone.contract.FieldPath.nonNull(after.schema());
    }

    /** "column x added (NOT NULL, no default)", "column y dropped", "column z changed from int to long". */
    static String columnDifference(Schema before, Schema after) {
        List<String> out = new ArrayList<>();
        for (Schema.Field f : after.getFields()) {
            Schema.Field old = before.getField(f.name());
            if (old == null) {
                boolean nullable = f.schema().getType() == Schema.Type.UNION;
                out.add("column " + f.name() + " added"
                        + (nullable ? " (nullable)" : f.hasDefaultValue() ? "" : " (NOT NULL, no default)"));
            } else if (!Objects.equals(old.schema(), f.schema())) {
                out.add("column " + f.name() + " changed from " + typeName(old.schema()) + " to "
                        + typeName(f.schema()));
            }
        }
        for (Schema.Field f : before.getFields()) {
            if (after.getField(f.name()) == null) {
                out.add("column " + f.name() + " dropped");
            }
        }
        return out.isEmpty() ? "the columns are unchanged" : String.join(", ", out);
    }

    private static String typeName(Schema s) {
        Schema t = io.backbone.contract.FieldPath.nonNull(s);
        String name = t.getLogicalType() != null
                ? t.getLogicalType().getName()
                : t.getType().getName();
        return s.getType() == Schema.Type.UNION ? "nullable " + name : name;
    }

    private static String subject(GenericRecord key) {
        StringBuilder out = new StringBuilder();
        for (Schema.Field f : key.getSchema().getFields()) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(f.name()).append('=').append(key.get(f.pos()));
        }
        return out.toString();
    }

    /** A snapshot read has no position of its own: its id is the row's content, so a read repeated is the same. */
    private static String digest(GenericRecord key, GenericRecord after) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.valueOf(key).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(String.valueOf(after).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(RecordHeaders headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
