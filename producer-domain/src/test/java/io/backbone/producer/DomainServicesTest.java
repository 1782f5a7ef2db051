package io.backbone.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.customers.v1.CustomerEvent;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.orders.v1.OrderEventType;
import io.backbone.payments.v1.PaymentEvent;
import io.backbone.payments.v1.PaymentEventType;
import io.backbone.producer.customers.CustomersService;
import io.backbone.producer.faults.Fault;
import io.backbone.producer.faults.Spoiled;
import io.backbone.producer.orders.OrdersService;
import io.backbone.producer.payments.PaymentsService;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The domain services emit internally consistent events, and each spoiling changes exactly what it says. */
class DomainServicesTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    final Random rnd = new Random(17);

    @RepeatedTest(20)
    void anOrderTotalIsTheSumOfItsLines() {
        OrderEvent order = OrdersService.place("ord-1", "cus-000001", rnd, NOW);

        long sum = order.getLines().stream()
                .mapToLong(l -> l.getQuantity() * l.getUnitPriceMinor())
                .sum();
        assertThat(order.getTotalAmountMinor()).isEqualTo(sum).isPositive();
        assertThat(order.getLines())
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l.getSku()).matches("^[A-Z]{3}-[0-9]{4}$"));
        assertThat(order.getCurrency()).matches("^[A-Z]{3}$");
    }

    @Test
    void aCancellationRepeatsTheOrderUnderANewEventId() {
        OrderEvent placed = OrdersService.place("ord-1", "cus-000001", rnd, NOW);
        OrderEvent cancelled = OrdersService.cancel(placed, NOW.plusSeconds(60));

        assertThat(cancelled.getEventType()).isEqualTo(OrderEventType.ORDER_CANCELLED);
        assertThat(cancelled.getEventId()).isNotEqualTo(placed.getEventId());
        assertThat(cancelled.getTotalAmountMinor()).isEqualTo(placed.getTotalAmountMinor());
    }

    @Test
    void aPaymentPaysTheOrderAndARefundNeverExceedsIt() {
        PaymentEvent paid = PaymentsService.pay("ord-1", 4200, "EUR", new Random(2), NOW);
        PaymentEvent refund = PaymentsService.refund(paid, rnd, NOW);

        assertThat(paid.getAmountMinor()).isEqualTo(4200);
        assertThat(refund.getEventType()).isEqualTo(PaymentEventType.PAYMENT_REFUNDED);
        assertThat(refund.getAmountMinor()).isBetween(1L, 4200L);
        assertThat(refund.getOrderId()).isEqualTo("ord-1");
    }

    @Test
    void aCustomerHasAValidEmailAndAnAddress() {
        CustomerEvent c = CustomersService.register("cus-000042", rnd, NOW);

        assertThat(c.getEmail()).matches("^[a-z]+\\.[a-z]+\\.000042@example\\.com$");
        assertThat(c.getAddress().getCountry()).matches("^[A-Z]{2}$");
    }

    @Test
    void eachSpoilingChangesOneThingAndNamesTheRuleThatCatchesIt() {
        OrderEvent order = OrdersService.place("ord-1", "cus-000001", rnd, NOW);
        Spoiled<OrderEvent> negative = OrdersService.spoil(order, Fault.NEGATIVE_AMOUNT);
        Spoiled<OrderEvent> inconsistent = OrdersService.spoil(order, Fault.INCONSISTENT_TOTAL);
        Spoiled<OrderEvent> missing = OrdersService.spoil(order, Fault.MISSING_REQUIRED);
        Spoiled<CustomerEvent> email =
                CustomersService.spoil(CustomersService.register("cus-000001", rnd, NOW), Fault.MALFORMED_EMAIL);

        assertThat(negative.event().getTotalAmountMinor()).isNegative();
        assertThat(negative.expectedRule()).isEqualTo("totalAmountMinor.minimum");
        assertThat(inconsistent.event().getTotalAmountMinor()).isEqualTo(order.getTotalAmountMinor() + 100);
        assertThat(missing.event().getCustomerId()).isNull();
        assertThat(missing.event().getEventId()).isEqualTo(order.getEventId());
        assertThat(email.event().getEmail()).doesNotContain("@");
        assertThat(Fault.NEGATIVE_AMOUNT.stage()).isEqualTo("schema");
        assertThat(Fault.INCONSISTENT_TOTAL.stage()).isEqualTo("quality");
        assertThat(Fault.TRUNCATED_AVRO.poisonPill()).isTrue();
    }
}
