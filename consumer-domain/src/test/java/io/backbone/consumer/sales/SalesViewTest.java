package io.backbone.consumer.sales;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.orders.v2.Order;
import io.backbone.orders.v2.OrderEventType;
import io.backbone.orders.v2.OrderLine;
import io.backbone.orders.v2.Total;
import io.backbone.payments.v1.PaymentEvent;
import io.backbone.payments.v1.PaymentEventType;
import io.backbone.payments.v1.PaymentMethod;
import io.backbone.product.ProductCatalog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Revenue per currency per hour: authorised payments minus refunds; orders placed and cancelled counted. */
class SalesViewTest {
    static final Instant T = Instant.parse("2026-11-24T10:15:00Z");

    static Order order(OrderEventType type, String currency, Instant at) {
        return new Order(
                "e-" + at + type,
                type,
                at,
                "ord-1",
                "cus-000001",
                List.of(new OrderLine("TEE-0001", 1, 1000L)),
                new Total(1000L, currency));
    }

    static PaymentEvent payment(PaymentEventType type, long amount, String currency, Instant at) {
        return new PaymentEvent(
                "p-" + at + type, type, at, "pay-000000000001", "ord-1", amount, currency, PaymentMethod.CARD, null);
    }

    @Test
    void shouldAggregatePerHourAndCurrency() {
        // the consumers are created but never polled: no broker is needed to test the aggregation
        try (SalesView view = new SalesView(
                Map.of("bootstrap.servers", "localhost:1", "schema.registry.url", "http://localhost:1"),
                ProductCatalog.shipped(),
                "t")) {
            view.apply(order(OrderEventType.ORDER_PLACED, "EUR", T));
            view.apply(order(OrderEventType.ORDER_CANCELLED, "EUR", T.plusSeconds(60)));
            view.apply(order(OrderEventType.ORDER_PLACED, "GBP", T.plusSeconds(3600)));
            view.apply(payment(PaymentEventType.PAYMENT_AUTHORISED, 5000, "EUR", T));
            view.apply(payment(PaymentEventType.PAYMENT_AUTHORISED, 2500, "EUR", T.plusSeconds(120)));
            view.apply(payment(PaymentEventType.PAYMENT_REFUNDED, 1000, "EUR", T.plusSeconds(300)));
            view.apply(payment(PaymentEventType.PAYMENT_FAILED, 9999, "EUR", T));

            assertThat(view.rows())
                    .containsExactly(
                            new SalesView.Row(Instant.parse("2026-11-24T10:00:00Z"), "EUR", 1, 1, 2, 1, 6500),
                            new SalesView.Row(Instant.parse("2026-11-24T11:00:00Z"), "GBP", 1, 0, 0, 0, 0));
        }
    }
}
