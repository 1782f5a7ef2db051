package io.backbone.producer.orders;

import io.backbone.orders.v1.OrderEvent;
import io.backbone.orders.v1.OrderEventType;
import io.backbone.orders.v1.OrderLine;
import io.backbone.producer.faults.Fault;
import io.backbone.producer.faults.Spoiled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** The orders domain: customers place orders of catalogue items and sometimes cancel them. */
public final class OrdersService {
    public static final String DOMAIN = "orders";
    public static final String TOPIC = "orders.raw.order-events";
    public static final String SOURCE = "/shop/orders-service";
    public static final List<Fault> CONTRACT_FAULTS =
            List.of(Fault.NEGATIVE_AMOUNT, Fault.INCONSISTENT_TOTAL, Fault.UNKNOWN_CURRENCY, Fault.MISSING_REQUIRED);

    private static final String[] SKUS = {"TEE-0001", "JNS-0042", "SHO-0107", "HAT-0013", "BAG-0230", "SOC-0005"};
    private static final long[] PRICES = {1999, 5990, 8900, 2450, 12900, 799};
    static final String[] CURRENCIES = {"EUR", "EUR", "EUR", "USD", "GBP", "CHF", "PLN", "SEK"};

    private OrdersService() {}

    /** A new order of 1–4 lines whose total is the sum of its lines. */
    public static OrderEvent place(String orderId, String customerId, Random rnd, Instant now) {
        List<OrderLine> lines = new ArrayList<>();
        int n = 1 + rnd.nextInt(4);
        long total = 0;
        for (int i = 0; i < n; i++) {
            int item = rnd.nextInt(SKUS.length);
            int qty = 1 + rnd.nextInt(3);
            lines.add(new OrderLine(SKUS[item], qty, PRICES[item]));
            total += qty * PRICES[item];
        }
        return OrderEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType(OrderEventType.ORDER_PLACED)
                .setOccurredAt(now)
                .setOrderId(orderId)
                .setCustomerId(customerId)
                .setLines(lines)
                .setTotalAmountMinor(total)
                .setCurrency(CURRENCIES[rnd.nextInt(CURRENCIES.length)])
                .build();
    }

    /** The cancellation of {@code placed}; it repeats the order's lines and total. */
    public static OrderEvent cancel(OrderEvent placed, Instant now) {
        return OrderEvent.newBuilder(placed)
                .setEventId(UUID.randomUUID().toString())
                .setEventType(OrderEventType.ORDER_CANCELLED)
                .setOccurredAt(now)
                .setCancellationReason("customer request")
                .build();
    }

    /** {@code event} broken the way {@code fault} says, with the contract rule that must catch it. */
    /** The order as a careless client writes it: the currency code lower-case, or with spaces. */
    public static OrderEvent soil(OrderEvent event, Random rnd) {
        String currency = event.getCurrency();
        return OrderEvent.newBuilder(event)
                .setCurrency(rnd.nextBoolean() ? currency.toLowerCase(java.util.Locale.ROOT) : " " + currency + " ")
                .build();
    }

    public static Spoiled<OrderEvent> spoil(OrderEvent event, Fault fault) {
        OrderEvent.Builder b = OrderEvent.newBuilder(event);
        return switch (fault) {
            case NEGATIVE_AMOUNT ->
                new Spoiled<>(
                        b.setTotalAmountMinor(-event.getTotalAmountMinor()).build(), fault, "totalAmountMinor.minimum");
            case INCONSISTENT_TOTAL ->
                new Spoiled<>(
                        b.setTotalAmountMinor(event.getTotalAmountMinor() + 100).build(),
                        fault,
                        "total-equals-sum-of-lines");
            case UNKNOWN_CURRENCY -> new Spoiled<>(b.setCurrency("XYZ").build(), fault, "currency.invalidValues");
            case MISSING_REQUIRED -> new Spoiled<>(b.setCustomerId(null).build(), fault, "customerId.nullValues");
            default -> throw new IllegalArgumentException("orders cannot spoil an event with " + fault);
        };
    }
}
