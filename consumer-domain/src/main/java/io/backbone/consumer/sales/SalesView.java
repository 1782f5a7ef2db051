package io.backbone.consumer.sales;

import io.backbone.consumer.ProductSubscriber;
import io.backbone.orders.v2.Order;
import io.backbone.payments.v1.PaymentEvent;
import io.backbone.product.ProductCatalog;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Sales analytics over the orders and payments products: per hour and currency, orders placed and cancelled and
 * revenue (authorised payments minus refunds), in minor units.
 */
public final class SalesView implements AutoCloseable {
    /** One hour of one currency. */
    public record Row(
            Instant hour,
            String currency,
            long ordersPlaced,
            long ordersCancelled,
            long payments,
            long refunds,
            long revenueMinor) {}

    private static final class Cell {
        long placed;
        long cancelled;
        long payments;
        long refunds;
        long revenue;
    }

    private final ProductSubscriber<Order> orders;
    private final ProductSubscriber<PaymentEvent> payments;
    private final Map<Instant, Map<String, Cell>> cells = new TreeMap<>();
    private long ordersRead;
    private long paymentsRead;

    /**
     * Groups {@code <groupId>-orders} and {@code <groupId>-payments}: the view is rebuilt from the beginning of both
     * products on start, and commits as it reads, so that {@code kafka-consumer-groups} shows its lag.
     */
    public SalesView(Map<String, Object> clientConfig, ProductCatalog catalog, String groupId) {
        // major 2 of the orders product: major 1 is deprecated
        this.orders = ProductSubscriber.of(
                clientConfig,
                catalog,
                ProductSubscriber.version(catalog, "orders", 2).id(),
                Order.class,
                groupId + "-orders",
                true);
        this.payments = ProductSubscriber.of(
                clientConfig, catalog, "payments", PaymentEvent.class, groupId + "-payments", true);
    }

    /** Reads whatever is available within {@code timeout} from both products. */
    public void pollOnce(Duration timeout) {
        for (ConsumerRecord<String, Order> r : orders.poll(timeout)) {
            apply(r.value());
            ordersRead++;
        }
        for (ConsumerRecord<String, PaymentEvent> r : payments.poll(timeout)) {
            apply(r.value());
            paymentsRead++;
        }
        orders.commit();
        payments.commit();
    }

    /** Reads until both products are read to their current end, or {@code deadline} passes. */
    public boolean catchUp(Duration deadline) {
        long until = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < until) {
            pollOnce(Duration.ofMillis(200));
            if (orders.caughtUp() && payments.caughtUp()) {
                return true;
            }
        }
        return false;
    }

    private Cell cell(Instant at, String currency) {
        return cells.computeIfAbsent(at.truncatedTo(ChronoUnit.HOURS), h -> new TreeMap<>())
                .computeIfAbsent(currency, c -> new Cell());
    }

    void apply(Order e) {
        Cell c = cell(e.getOccurredAt(), e.getTotal().getCurrency());
        switch (e.getEventType()) {
            case ORDER_PLACED -> c.placed++;
            case ORDER_CANCELLED -> c.cancelled++;
        }
    }

    void apply(PaymentEvent e) {
        Cell c = cell(e.getOccurredAt(), e.getCurrency());
        switch (e.getEventType()) {
            case PAYMENT_AUTHORISED -> {
                c.payments++;
                c.revenue += e.getAmountMinor();
            }
            case PAYMENT_REFUNDED -> {
                c.refunds++;
                c.revenue -= e.getAmountMinor();
            }
            case PAYMENT_FAILED -> {}
        }
    }

    /** The view now, oldest hour first. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        cells.forEach((hour, byCurrency) -> byCurrency.forEach((currency, c) ->
                rows.add(new Row(hour, currency, c.placed, c.cancelled, c.payments, c.refunds, c.revenue))));
        return rows;
    }

    public long ordersRead() {
        return ordersRead;
    }

    public long paymentsRead() {
        return paymentsRead;
    }

    @Override
    public void close() {
        orders.close();
        payments.close();
    }
}
