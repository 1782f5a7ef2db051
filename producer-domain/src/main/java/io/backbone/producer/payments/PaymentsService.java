package io.backbone.producer.payments;

import io.backbone.payments.v1.PaymentEvent;
import io.backbone.payments.v1.PaymentEventType;
import io.backbone.payments.v1.PaymentMethod;
import io.backbone.producer.faults.Fault;
import io.backbone.producer.faults.Spoiled;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** The payments domain: authorises or declines the payment of an order, and refunds some authorised ones. */
public final class PaymentsService {
    public static final String DOMAIN = "payments";
    public static final String TOPIC = "payments.raw.payment-events";
    public static final String SOURCE = "/shop/payments-service";
    public static final List<Fault> CONTRACT_FAULTS =
            List.of(Fault.NEGATIVE_AMOUNT, Fault.UNKNOWN_CURRENCY, Fault.MISSING_REASON);

    private static final PaymentMethod[] METHODS = PaymentMethod.values();

    private PaymentsService() {}

    /** The outcome of paying {@code orderId}: mostly authorised for the full amount, sometimes failed. */
    public static PaymentEvent pay(String orderId, long amountMinor, String currency, Random rnd, Instant now) {
        boolean failed = rnd.nextInt(10) == 0;
        return PaymentEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType(failed ? PaymentEventType.PAYMENT_FAILED : PaymentEventType.PAYMENT_AUTHORISED)
                .setOccurredAt(now)
                .setPaymentId(paymentId(rnd))
                .setOrderId(orderId)
                .setAmountMinor(amountMinor)
                .setCurrency(currency)
                .setMethod(METHODS[rnd.nextInt(METHODS.length)])
                .setFailureReason(failed ? "card declined" : null)
                .build();
    }

    /** A refund of part or all of an authorised payment. */
    public static PaymentEvent refund(PaymentEvent authorised, Random rnd, Instant now) {
        long amount = Math.max(1, authorised.getAmountMinor() / (1 + rnd.nextInt(2)));
        return PaymentEvent.newBuilder(authorised)
                .setEventId(UUID.randomUUID().toString())
                .setEventType(PaymentEventType.PAYMENT_REFUNDED)
                .setOccurredAt(now)
                .setPaymentId(paymentId(rnd))
                .setAmountMinor(amount)
                .build();
    }

    public static Spoiled<PaymentEvent> spoil(PaymentEvent event, Fault fault) {
        PaymentEvent.Builder b = PaymentEvent.newBuilder(event);
        return switch (fault) {
            case NEGATIVE_AMOUNT ->
                new Spoiled<>(
                        b.setAmountMinor(-Math.abs(event.getAmountMinor())).build(),
                        fault,
                        "amountMinor.exclusiveMinimum");
            case UNKNOWN_CURRENCY -> new Spoiled<>(b.setCurrency("XYZ").build(), fault, "currency.invalidValues");
            case MISSING_REASON ->
                new Spoiled<>(
                        b.setEventType(PaymentEventType.PAYMENT_FAILED)
                                .setFailureReason(null)
                                .build(),
                        fault,
                        "failure-has-reason");
            default -> throw new IllegalArgumentException("payments cannot spoil an event with " + fault);
        };
    }

    private static String paymentId(Random rnd) {
        byte[] b = new byte[6];
        rnd.nextBytes(b);
        return "pay-" + HexFormat.of().formatHex(b);
    }
}
