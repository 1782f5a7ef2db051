package io.backbone.producer.outbox;

import io.backbone.contract.ContractViolationException;
import io.backbone.contract.Severity;
import io.backbone.contract.Violation;
import io.backbone.kafka.ClientSettings;
import io.backbone.producer.publish.ContractCheck;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.registry.SchemaRegistryClient;
import io.backbone.serde.ConfluentAvroSerializer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * The transactional outbox: a service publishes an event by writing it into its own database, inside the transaction
 * of the business change the event is about, so that the event exists if and only if the change commits. The event
 * is serialized with the Confluent-framed Avro serde and checked against its contract first: a violation throws
 * {@link ContractViolationException} before anything is written, and the caller rolls back.
 *
 * <p>The row is inserted and deleted in the same transaction: the database's write-ahead log, which the relay
 * ({@code backbone outbox}) reads, keeps the insert, while the table never grows and needs no cleaning (the pattern
 * Debezium's outbox router documents). What has not reached Kafka yet is what the relay's replication slot has not
 * confirmed.
 */
public final class OutboxPublisher implements AutoCloseable {
    private final String table;
    private final String source;
    private final SchemaRegistryClient registry;
    private final ConfluentAvroSerializer<SpecificRecord> serializer;
    private final ContractCheck check;

    /**
     * {@code table}: {@code schema.table} of the outbox (created by {@link #createTable}); {@code source}: the
     * CloudEvents source of the service; {@code settings}: where the registry is (the service's schemas are looked
     * up, never registered, as the direct publisher does).
     */
    public OutboxPublisher(String table, String source, ClientSettings settings, ContractCheck check) {
        this.table = table;
        this.source = source;
        this.check = check;
        this.registry = new RestSchemaRegistryClient(settings.clientConfig());
        this.serializer = new ConfluentAvroSerializer<>(registry);
        this.serializer.configure(settings.clientConfig(), false);
    }

    /** The replication slot and publication of {@code domain}'s outbox relay (named where the relay finds it too). */
    public static String slot(String domain) {
        return io.backbone.product.PlatformTopics.outboxSlot(domain);
    }

    /**
     * Creates the outbox table (and its schema), the publication that makes its changes visible to logical decoding
     * and the relay's replication slot, when missing. The slot is created here, before the first event: the table
     * stays empty, so an event written before the slot existed would be in no snapshot and no stream. Needs a user
     * allowed to create publications and replication slots (the relay's rights), with auto-commit on.
     */
    public static void createTable(Connection connection, String table, String domain) throws SQLException {
        String schema = table.contains(".") ? table.substring(0, table.indexOf('.')) : null;
        String slot = slot(domain);
        try (Statement s = connection.createStatement()) {
            if (schema != null) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            }
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                    + "id text PRIMARY KEY, "
                    + "aggregatetype text NOT NULL, "
                    + "aggregateid text NOT NULL, "
                    + "topic text NOT NULL, "
                    + "payload bytea NOT NULL, "
                    + "type text NOT NULL, "
                    + "source text NOT NULL, "
                    + "occurred_at timestamptz NOT NULL)");
            s.execute("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
            try (var rs = s.executeQuery("SELECT 1 FROM pg_publication WHERE pubname = '" + slot + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE PUBLICATION " + slot + " FOR TABLE " + table);
                }
            }
            try (var rs = s.executeQuery("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
                if (!rs.next()) {
                    s.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
                }
            }
        }
    }

    public String table() {
        return table;
    }

    /**
     * Writes {@code event} for {@code topic} into the outbox, in {@code transaction} (a connection with auto-commit
     * off; the caller commits or rolls back). {@code aggregateId} becomes the record's key, {@code id} and
     * {@code type} its CloudEvents id and type. Throws {@link ContractViolationException} (nothing written) when the
     * event breaks an error-severity rule of its contract.
     */
    public void publish(
            Connection transaction,
            String topic,
            String aggregateType,
            String aggregateId,
            SpecificRecord event,
            String id,
            String type,
            Instant time)
            throws SQLException {
        if (transaction.getAutoCommit()) {
            throw new IllegalStateException("the outbox is written inside the caller's transaction: turn auto-commit"
                    + " off, write the business change and the event, then commit");
        }
        List<Violation> errors = check.check(topic, (GenericRecord) event).stream()
                .filter(v -> v.severity() == Severity.ERROR)
                .toList();
        if (!errors.isEmpty() && check.mode() == ContractCheck.Mode.REJECT) {
            throw new ContractViolationException(topic, errors);
        }
        byte[] payload = serializer.serialize(topic, event);
        try (PreparedStatement insert = transaction.prepareStatement("INSERT INTO " + table
                        + " (id, aggregatetype, aggregateid, topic, payload, type, source, occurred_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement delete = transaction.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            insert.setString(1, id);
            insert.setString(2, aggregateType);
            insert.setString(3, aggregateId);
            insert.setString(4, topic);
            insert.setBytes(5, payload);
            insert.setString(6, type);
            insert.setString(7, source);
            insert.setTimestamp(8, Timestamp.from(time));
            insert.executeUpdate();
            // the log keeps the insert for the relay; the table itself stays empty
            delete.setString(1, id);
            delete.executeUpdate();
        }
    }

    @Override
    public void close() {
        serializer.close();
        try {
            registry.close();
        } catch (Exception e) {
            // nothing to release that outlives the process
        }
    }
}
