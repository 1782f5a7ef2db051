package io.backbone.producer.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The inventory domain's service: it keeps the stock of each SKU per warehouse in its own PostgreSQL table and
 * publishes nothing itself; change data capture takes its changes in. {@link #next} makes one change (an insert,
 * an update or a delete, each its own transaction); with an invalid ratio, some updates break the contract (negative
 * stock, an unknown currency), as a buggy service would.
 */
public final class InventoryService {
    public static final String SCHEMA = "inventory";
    public static final String TABLE = "inventory.stock";
    static final String[] WAREHOUSES = {"BER-1", "HAM-2", "MUC-1"};
    static final String[] SUPPLIERS = {"anna.berg", "jonas.meyer", "lea.schmidt", "omar.haddad", "sofia.rossi"};

    /** One change made to the table: what, which row, and whether the contract accepts the row after it. */
    public record Change(String op, String sku, String warehouse, boolean valid) {}

    private final Connection connection;
    private final Random random;
    private final double invalidRatio;
    private final int targetRows;
    private final List<String[]> rows = new ArrayList<>();
    private int nextSku;

    /**
     * {@code targetRows}: about how many rows the table holds once it has grown; inserts outweigh deletes below it.
     * The table is created when missing; rows already in it are taken over.
     */
    public InventoryService(Connection connection, Random random, double invalidRatio, int targetRows)
            throws SQLException {
        if (invalidRatio < 0 || invalidRatio > 1) {
            throw new IllegalArgumentException("--invalid-ratio must be between 0 and 1, was " + invalidRatio);
        }
        this.connection = connection;
        this.random = random;
        this.invalidRatio = invalidRatio;
        this.targetRows = targetRows;
        connection.setAutoCommit(true);
        createTable(connection);
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery("SELECT sku, warehouse FROM " + TABLE)) {
            while (r.next()) {
                rows.add(new String[] {r.getString(1), r.getString(2)});
                nextSku = Math.max(nextSku, Integer.parseInt(r.getString(1).substring(4)));
            }
        }
    }

    /**
     * Creates the schema and the table when missing. {@code REPLICA IDENTITY FULL}: updates and deletes carry the
     * whole row before them in the write-ahead log, which the change stream's contract needs.
     */
    public static void createTable(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                    + "sku text NOT NULL, "
                    + "warehouse text NOT NULL, "
                    + "quantity integer NOT NULL, "
                    + "price_minor bigint NOT NULL, "
                    + "currency text NOT NULL, "
                    + "supplier_email text, "
                    + "updated_at timestamptz NOT NULL, "
                    + "PRIMARY KEY (sku, warehouse))");
            s.execute("ALTER TABLE " + TABLE + " REPLICA IDENTITY FULL");
        }
    }

    public int rows() {
        return rows.size();
    }

    /** Makes one change, in its own transaction, and says what it was. */
    public Change next() throws SQLException {
        double roll = random.nextDouble();
        boolean grow = rows.size() < targetRows;
        if (rows.isEmpty() || (grow && roll < 0.5) || (!grow && roll < 0.2)) {
            return insert();
        }
        if (roll > (grow ? 0.95 : 0.8)) {
            return delete();
        }
        return update();
    }

    private Change insert() throws SQLException {
        String sku = String.format("SKU-%06d", ++nextSku);
        String warehouse = WAREHOUSES[random.nextInt(WAREHOUSES.length)];
        try (PreparedStatement p = connection.prepareStatement("INSERT INTO " + TABLE
                + " (sku, warehouse, quantity, price_minor, currency, supplier_email, updated_at)"
                + " VALUES (?, ?, ?, ?, 'EUR', ?, ?)")) {
            p.setString(1, sku);
            p.setString(2, warehouse);
            p.setInt(3, random.nextInt(200));
            p.setLong(4, 199 + random.nextInt(20_000));
            p.setString(
                    5,
                    random.nextInt(5) == 0
                            ? null
                            : SUPPLIERS[random.nextInt(SUPPLIERS.length)] + "@supplier-" + random.nextInt(40)
                                    + ".example");
            p.setTimestamp(6, Timestamp.from(Instant.now()));
            p.executeUpdate();
        }
        rows.add(new String[] {sku, warehouse});
        return new Change("CREATE", sku, warehouse, true);
    }

    private Change update() throws SQLException {
        String[] row = rows.get(random.nextInt(rows.size()));
        boolean invalid = random.nextDouble() < invalidRatio;
        String sql;
        if (invalid) {
            sql = random.nextBoolean()
                    ? "UPDATE " + TABLE + " SET quantity = -1 - ?, updated_at = ? WHERE sku = ? AND warehouse = ?"
                    : "UPDATE " + TABLE + " SET currency = 'EURO', quantity = ?, updated_at = ?"
                            + " WHERE sku = ? AND warehouse = ?";
        } else if (random.nextInt(4) == 0) {
            sql = "UPDATE " + TABLE + " SET price_minor = 199 + ?, currency = 'EUR', quantity = abs(quantity),"
                    + " updated_at = ? WHERE sku = ? AND warehouse = ?";
        } else {
            sql = "UPDATE " + TABLE + " SET quantity = ?, currency = 'EUR', updated_at = ?"
                    + " WHERE sku = ? AND warehouse = ?";
        }
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            p.setInt(1, random.nextInt(200));
            p.setTimestamp(2, Timestamp.from(Instant.now()));
            p.setString(3, row[0]);
            p.setString(4, row[1]);
            p.executeUpdate();
        }
        return new Change("UPDATE", row[0], row[1], !invalid);
    }

    private Change delete() throws SQLException {
        String[] row = rows.remove(random.nextInt(rows.size()));
        try (PreparedStatement p =
                connection.prepareStatement("DELETE FROM " + TABLE + " WHERE sku = ? AND warehouse = ?")) {
            p.setString(1, row[0]);
            p.setString(2, row[1]);
            p.executeUpdate();
        }
        return new Change("DELETE", row[0], row[1], true);
    }
}
