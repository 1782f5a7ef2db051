package io.backbone.producer.orders;

import io.backbone.orders.v1.OrderEvent;
import io.backbone.producer.outbox.OutboxPublisher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;

/**
 * The orders service's own database: an order row and its event are written in one transaction, the event through
 * the {@link OutboxPublisher}, so that an order exists if and only if its event will be published. A contract
 * violation, or any other failure, rolls both back.
 */
public final class OrderBook {
    public static final String ORDERS = "orders.orders";
    public static final String OUTBOX = "orders.outbox";

    private final Connection connection;
    private final OutboxPublisher outbox;

    /** Creates the orders table and the outbox (with its relay's slot) when missing. */
    public OrderBook(Connection connection, OutboxPublisher outbox) throws SQLException {
        this.connection = connection;
        this.outbox = outbox;
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS orders");
            s.execute("CREATE TABLE IF NOT EXISTS " + ORDERS + " ("
                    + "order_id text PRIMARY KEY, "
                    + "customer_id text NOT NULL, "
                    + "total_minor bigint NOT NULL, "
                    + "currency text NOT NULL, "
                    + "status text NOT NULL, "
                    + "updated_at timestamptz NOT NULL)");
        }
        OutboxPublisher.createTable(connection, OUTBOX, OrdersService.DOMAIN);
        connection.setAutoCommit(false);
    }

    /**
     * Records {@code event} (a placed or cancelled order): the order row and the event, committed together. When
     * {@code commit} is false the transaction is rolled back after both writes (a service that fails later in the
     * request), and neither is ever seen. Any exception rolls back and is rethrown.
     */
    public void record(OrderEvent event, boolean commit) throws SQLException {
        try {
            // the event first: its contract check names the rule a bad event breaks, before the database's own
            // constraints would refuse the row less precisely; both roll back together anyway
            publish(event);
            boolean placed = event.getEventType().name().equals("ORDER_PLACED");
            try (PreparedStatement p = connection.prepareStatement(
                    placed
                            ? "INSERT INTO " + ORDERS
                                    + " (order_id, customer_id, total_minor, currency, status, updated_at)"
                                    + " VALUES (?, ?, ?, ?, 'PLACED', ?)"
                            : "UPDATE " + ORDERS + " SET status = 'CANCELLED', updated_at = ? WHERE order_id = ?")) {
                Timestamp at = Timestamp.from(event.getOccurredAt());
                if (placed) {
                    p.setString(1, event.getOrderId());
                    p.setString(2, event.getCustomerId());
                    p.setLong(3, event.getTotalAmountMinor());
                    p.setString(4, event.getCurrency());
                    p.setTimestamp(5, at);
                } else {
                    p.setTimestamp(1, at);
                    p.setString(2, event.getOrderId());
                }
                p.executeUpdate();
            }
            if (commit) {
                connection.commit();
            } else {
                connection.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /**
     * Writes {@code event} into the outbox again, alone, in its own transaction: what a service does when it cannot
     * tell whether its first commit went through. The same event id twice; the product's deduplication drops one.
     */
    public void republish(OrderEvent event) throws SQLException {
        try {
            publish(event);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    private void publish(OrderEvent event) throws SQLException {
        outbox.publish(
                connection,
                OrdersService.TOPIC,
                "order",
                event.getOrderId(),
                event,
                event.getEventId(),
                "io.backbone.orders." + event.getEventType().name(),
                event.getOccurredAt());
    }

    /** Whether the order row exists (committed). */
    public boolean exists(String orderId) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT 1 FROM " + ORDERS + " WHERE order_id = ?")) {
            p.setString(1, orderId);
            try (var rs = p.executeQuery()) {
                boolean found = rs.next();
                connection.commit();
                return found;
            }
        }
    }
}
