package io.backbone.demo;

import io.backbone.consumer.TopicReader;
import io.backbone.contract.Masker;
import io.backbone.contract.RecordRule;
import io.backbone.contract.RuleContext;
import io.backbone.contract.Severity;
import io.backbone.contract.Violation;
import io.backbone.contract.rules.CelEnvironment;
import io.backbone.dlq.DeadLetter;
import io.backbone.product.DataProduct;
import io.backbone.registry.SchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks a change-data-capture source against its database: the entity product, read from the beginning, is the
 * table (PII masked) where the table's rows keep the contract, and holds a valid last state where they do not; the
 * event product holds every change the capture wrote once, except those dead-lettered.
 *
 * @param rows the table's rows now
 * @param rawIn changes on the raw topic (a change captured twice counts twice)
 * @param distinctChanges distinct change ids among them
 * @param eventsOut records of the event product
 * @param deadLettered dead letters of the event product
 * @param entityRows keys the entity product holds (tombstones applied)
 * @param rowsEqual rows whose entity state is the table's row, masked
 * @param heldAtLastValid rows that break the contract in the table and keep a valid state in the entity
 * @param sample the first rows: the table's and the entity's side by side
 */
public record InventoryReport(
        String table,
        String rawTopic,
        String eventProduct,
        String entityProduct,
        long rows,
        long rawIn,
        long distinctChanges,
        long eventsOut,
        long deadLettered,
        long entityRows,
        long rowsEqual,
        long heldAtLastValid,
        List<SampleRow> sample,
        List<String> problems) {
    private static final int MAX_PROBLEMS = 5;

    /** One row as the table has it and as the entity product has it (PII masked). */
    public record SampleRow(String key, Map<String, Object> table, Map<String, Object> entity) {}

    public boolean reconciled() {
        return problems.isEmpty();
    }

    /**
     * Reads {@code events}' and {@code entity}'s topics (both products of one change stream) and the table
     * {@code table} through {@code db}, and compares them. {@code masker} is the backbone's (its secret).
     */
    public static InventoryReport check(
            Map<String, Object> clientConfig,
            SchemaRegistryClient registry,
            Masker masker,
            Connection db,
            String table,
            DataProduct events,
            DataProduct entity) {
        Duration timeout = Duration.ofSeconds(60);
        List<String> problems = new ArrayList<>();
        AvroDecoder decoder = AvroDecoder.generic(registry);
        AvroDecoder entityDecoder =
                AvroDecoder.generic(registry, entity.output().schema());

        List<ConsumerRecord<byte[], byte[]>> raw = TopicReader.readAll(clientConfig, events.rawTopic(), timeout);
        Set<String> rawIds = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : raw) {
            rawIds.add(String.valueOf(((GenericRecord) decoder.decode(r.value())).get("changeId")));
        }
        long dead = 0;
        Set<String> deadIds = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(clientConfig, events.dlqTopic(), timeout)) {
            if (events.id().equals(DeadLetter.text(r.headers(), DeadLetter.PRODUCT))) {
                dead++;
                deadIds.add(String.valueOf(((GenericRecord) decoder.decode(r.value())).get("changeId")));
            }
        }
        Set<String> published = new HashSet<>();
        List<ConsumerRecord<byte[], byte[]>> eventRecords =
                TopicReader.readAll(clientConfig, events.productTopic(), timeout);
        for (ConsumerRecord<byte[], byte[]> r : eventRecords) {
            String id = String.valueOf(((GenericRecord) decoder.decode(r.value())).get("changeId"));
            if (!published.add(id)) {
                add(
                        problems,
                        events.productTopic() + "-" + r.partition() + "@" + r.offset() + ": change " + id
                                + " published twice");
            }
            if (!rawIds.contains(id)) {
                add(problems, events.productTopic() + ": change " + id + " is not on " + events.rawTopic());
            }
        }
        long missing = rawIds.stream()
                .filter(id -> !published.contains(id) && !deadIds.contains(id))
                .count();
        if (missing > 0) {
            add(problems, missing + " captured change(s) neither in " + events.productTopic() + " nor dead-lettered");
        }

        Map<String, GenericRecord> state = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(clientConfig, entity.productTopic(), timeout)) {
            String key = key((GenericRecord) decoder.decode(r.key()));
            if (r.value() == null) {
                state.remove(key);
            } else {
                state.put(key, (GenericRecord) entityDecoder.decode(r.value()));
            }
        }

        Schema schema = entity.output().schema();
        Map<String, GenericRecord> rows = new TreeMap<>();
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            List<String> pk = primaryKey(db, table);
            while (rs.next()) {
                GenericRecord row = row(rs, schema);
                rows.put(
                        String.join(
                                "/",
                                pk.stream().map(c -> String.valueOf(row.get(c))).toList()),
                        row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + table + ": " + e.getMessage(), e);
        }
        long equal = 0;
        long held = 0;
        RuleContext context = new RuleContext(CelEnvironment::view);
        List<SampleRow> sample = new ArrayList<>();
        for (Map.Entry<String, GenericRecord> e : rows.entrySet()) {
            GenericRecord row = e.getValue();
            GenericRecord inEntity = state.get(e.getKey());
            boolean valid = valid(entity.output().rules(), row, context);
            GenericRecord masked = GenericData.get().deepCopy(schema, row);
            masker.apply(masked, entity.output().masks());
            if (sample.size() < 8) {
                sample.add(new SampleRow(e.getKey(), fields(masked), inEntity == null ? null : fields(inEntity)));
            }
            if (inEntity == null) {
                add(problems, table + " row " + e.getKey() + " is missing from " + entity.productTopic());
            } else if (valid && GenericData.get().compare(masked, inEntity, schema) == 0) {
                equal++;
            } else if (!valid && valid(unmasked(entity), inEntity, context)) {
                held++;
            } else {
                add(
                        problems,
                        entity.productTopic() + " holds " + e.getKey() + " as " + inEntity + ", the table as " + masked
                                + (valid ? "" : " (which breaks the contract)"));
            }
        }
        for (String key : state.keySet()) {
            if (!rows.containsKey(key)) {
                add(problems, entity.productTopic() + " holds " + key + ", which " + table + " no longer has");
            }
        }
        return new InventoryReport(
                table,
                events.rawTopic(),
                events.productTopic(),
                entity.productTopic(),
                rows.size(),
                raw.size(),
                rawIds.size(),
                eventRecords.size(),
                dead,
                state.size(),
                equal,
                held,
                List.copyOf(sample),
                List.copyOf(problems));
    }

    /** The output rules a masked state can still be checked against: none about a masked field. */
    private static List<RecordRule> unmasked(DataProduct product) {
        Set<String> masked = new HashSet<>();
        product.output().masks().forEach(m -> masked.add(m.field().path()));
        return product.output().rules().stream()
                .filter(r -> !(r instanceof io.backbone.contract.rules.ValueRule v
                        && masked.contains(v.field().path())))
                .toList();
    }

    private static boolean valid(List<RecordRule> rules, GenericRecord record, RuleContext context) {
        context.reset(record, System.currentTimeMillis());
        for (RecordRule rule : rules) {
            Violation v = rule.check(record, context);
            if (v != null && v.severity() == Severity.ERROR) {
                return false;
            }
        }
        return true;
    }

    /** A key record as text, its fields in order: {@code SKU-000001/BER-1}. */
    static String key(GenericRecord key) {
        List<String> parts = new ArrayList<>();
        for (Schema.Field f : key.getSchema().getFields()) {
            parts.add(String.valueOf(key.get(f.pos())));
        }
        return String.join("/", parts);
    }

    /** The primary key columns of {@code table} ({@code schema.table}), in key order. */
    private static List<String> primaryKey(Connection db, String table) throws SQLException {
        String[] parts = table.split("\\.", 2);
        Map<Integer, String> columns = new TreeMap<>();
        try (ResultSet pk = db.getMetaData().getPrimaryKeys(null, parts[0], parts[1])) {
            while (pk.next()) {
                columns.put(pk.getInt("KEY_SEQ"), pk.getString("COLUMN_NAME"));
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalStateException(table + " has no primary key");
        }
        return List.copyOf(columns.values());
    }

    private static GenericRecord row(ResultSet rs, Schema schema) throws SQLException {
        GenericRecord row = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            Schema t = io.backbone.contract.FieldPath.nonNull(f.schema());
            Object v =
                    switch (t.getType()) {
                        case INT -> rs.getInt(f.name());
                        case LONG ->
                            t.getLogicalType() != null
                                    ? (rs.getTimestamp(f.name()) == null
                                            ? null
                                            : rs.getTimestamp(f.name()).getTime())
                                    : rs.getLong(f.name());
                        case FLOAT -> rs.getFloat(f.name());
                        case DOUBLE -> rs.getDouble(f.name());
                        case BOOLEAN -> rs.getBoolean(f.name());
                        default -> rs.getString(f.name());
                    };
            row.put(f.pos(), rs.wasNull() ? null : v);
        }
        return row;
    }

    private static Map<String, Object> fields(GenericRecord r) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (Schema.Field f : r.getSchema().getFields()) {
            Object v = r.get(f.pos());
            out.put(f.name(), v == null ? null : v.toString());
        }
        return out;
    }

    private static void add(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        } else if (problems.size() == MAX_PROBLEMS) {
            problems.add("…");
        }
    }

    /** How many rows per column a check looked at, for the demo's JSON. */
    public Map<String, Object> figures() {
        Map<String, Object> out = new HashMap<>();
        out.put("table", table);
        out.put("rows", rows);
        out.put("rawIn", rawIn);
        out.put("distinctChanges", distinctChanges);
        out.put("eventsOut", eventsOut);
        out.put("deadLettered", deadLettered);
        out.put("entityRows", entityRows);
        out.put("rowsEqual", rowsEqual);
        out.put("heldAtLastValid", heldAtLastValid);
        out.put("reconciled", reconciled());
        return out;
    }
}
