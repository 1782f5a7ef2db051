package io.backbone.producer.simulation;

import io.backbone.customers.v1.CustomerEvent;
import io.backbone.customers.v1.CustomerEventType;
import io.backbone.kafka.ClientSettings;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.payments.v1.PaymentEvent;
import io.backbone.payments.v1.PaymentEventType;
import io.backbone.producer.customers.CustomersService;
import io.backbone.producer.faults.Fault;
import io.backbone.producer.faults.Spoiled;
import io.backbone.producer.orders.OrdersService;
import io.backbone.producer.payments.PaymentsService;
import io.backbone.producer.publish.EventPublisher;
import io.backbone.serde.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;

/**
 * Runs the shop: customers register, place orders, pay for them; every domain service publishes its own events.
 * The stream is internally consistent (orders belong to registered customers, payments to placed orders, totals
 * are the sum of their lines). A chosen fraction of events is spoiled; the {@link Ledger} says which and how.
 */
public final class ShopSimulator implements AutoCloseable {
    /** What to simulate: how many events, how many spoiled, how fast (0 = as fast as possible), which domains. */
    public record Plan(long events, double invalidRatio, double ratePerSecond, long seed, Set<String> domains) {
        public Plan {
            if (events < 0) {
                throw new IllegalArgumentException("events must be >= 0, was " + events);
            }
            if (invalidRatio < 0 || invalidRatio > 1) {
                throw new IllegalArgumentException("invalid ratio must be between 0 and 1, was " + invalidRatio);
            }
            if (ratePerSecond < 0) {
                throw new IllegalArgumentException("rate must be >= 0, was " + ratePerSecond);
            }
            Set<String> known = Set.of(OrdersService.DOMAIN, PaymentsService.DOMAIN, CustomersService.DOMAIN);
            for (String d : domains) {
                if (!known.contains(d)) {
                    throw new IllegalArgumentException(
                            "unknown domain '" + d + "'; choose from " + new java.util.TreeSet<>(known));
                }
            }
            domains = Set.copyOf(domains);
        }

        public static Plan allDomains(long events, double invalidRatio, double rate, long seed) {
            return new Plan(
                    events,
                    invalidRatio,
                    rate,
                    seed,
                    Set.of(OrdersService.DOMAIN, PaymentsService.DOMAIN, CustomersService.DOMAIN));
        }
    }

    /** Told how far the run is. */
    public interface Progress {
        void sent(long sent, long total);
    }

    private static final List<Fault> POISON = List.of(Fault.NOT_FRAMED, Fault.UNKNOWN_SCHEMA_ID, Fault.TRUNCATED_AVRO);

    private final Map<String, EventPublisher> publishers = new LinkedHashMap<>();
    private io.backbone.producer.orders.OrderBook outbox;

    public ShopSimulator(ClientSettings settings) {
        this(Map.of(
                OrdersService.DOMAIN, settings, PaymentsService.DOMAIN, settings, CustomersService.DOMAIN, settings));
    }

    /** Each domain's service with its own client settings (on a secured cluster: its own principal). */
    public ShopSimulator(Map<String, ClientSettings> byDomain) {
        publishers.put(
                OrdersService.DOMAIN, new EventPublisher(byDomain.get(OrdersService.DOMAIN), OrdersService.SOURCE));
        publishers.put(
                PaymentsService.DOMAIN,
                new EventPublisher(byDomain.get(PaymentsService.DOMAIN), PaymentsService.SOURCE));
        publishers.put(
                CustomersService.DOMAIN,
                new EventPublisher(byDomain.get(CustomersService.DOMAIN), CustomersService.SOURCE));
    }

    /**
     * Runs the orders service on its database: its events go through {@code book}'s transactional outbox (a relay
     * takes them to Kafka) instead of the direct publisher. A spoiled order is refused by the outbox's contract check
     * and rolled back (counted as refused at the source, in no topic); a poison pill cannot pass the outbox's
     * serializer, so the orders service sends those orders valid.
     */
    public ShopSimulator withOutbox(io.backbone.producer.orders.OrderBook book) {
        this.outbox = book;
        return this;
    }

    /** Sends the plan's events and waits until the broker acknowledged every one. */
    public Ledger run(Plan plan, Progress progress) {
        Run run = new Run(plan, new Random(plan.seed()));
        long started = System.nanoTime();
        long lastReport = 0;
        while (run.sent < plan.events() && !stopping) {
            if (plan.ratePerSecond() > 0) {
                long due = started + (long) (run.sent * 1e9 / plan.ratePerSecond());
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            run.step();
            if (run.sent - lastReport >= 500 || run.sent >= plan.events()) {
                lastReport = run.sent;
                progress.sent(run.sent, plan.events());
            }
        }
        publishers.values().forEach(EventPublisher::flush);
        CompletableFuture.allOf(run.pending.toArray(CompletableFuture[]::new))
                .exceptionally(e -> null)
                .join();
        return run.ledger;
    }

    private volatile boolean stopping;

    /**
     * Ends a {@link #run} early, after the event it is sending: the ledger it returns holds exactly what was sent (for
     * tests that produce until their faults are over, however long those take).
     */
    public void stop() {
        stopping = true;
    }

    @Override
    public void close() {
        publishers.values().forEach(EventPublisher::close);
    }

    /** The state of one simulation: the shop's world and what has been sent. */
    private final class Run {
        final Plan plan;
        final Random rnd;
        final Ledger ledger = new Ledger();
        final List<CompletableFuture<?>> pending = new ArrayList<>();
        final List<CustomerEvent> customers = new ArrayList<>();
        final ArrayDeque<OrderEvent> unpaid = new ArrayDeque<>();
        final List<OrderEvent> open = new ArrayList<>();
        final List<PaymentEvent> authorised = new ArrayList<>();
        long sent;
        int customerSeq;
        int orderSeq;

        Run(Plan plan, Random rnd) {
            this.plan = plan;
            this.rnd = rnd;
        }

        void step() {
            String domain = pickDomain();
            Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
            switch (domain) {
                case CustomersService.DOMAIN -> customerEvent(now);
                case OrdersService.DOMAIN -> orderEvent(now);
                default -> paymentEvent(now);
            }
        }

        String pickDomain() {
            double r = rnd.nextDouble();
            String wanted =
                    r < 0.25 ? CustomersService.DOMAIN : r < 0.70 ? OrdersService.DOMAIN : PaymentsService.DOMAIN;
            if (plan.domains().contains(wanted)) {
                return wanted;
            }
            return plan.domains().stream()
                    .sorted()
                    .skip(rnd.nextInt(plan.domains().size()))
                    .findFirst()
                    .orElseThrow();
        }

        Fault pickFault(List<Fault> contractFaults) {
            if (rnd.nextDouble() >= plan.invalidRatio()) {
                return Fault.NONE;
            }
            List<Fault> all = new ArrayList<>(contractFaults);
            all.add(Fault.DUPLICATE);
            all.addAll(POISON);
            Fault f = all.get(rnd.nextInt(all.size()));
            // a duplicate is two events; on the very last slot there is room for one only
            return f == Fault.DUPLICATE && sent + 2 > plan.events() ? Fault.NOT_FRAMED : f;
        }

        String customerId() {
            if (customers.isEmpty() || !plan.domains().contains(CustomersService.DOMAIN)) {
                return String.format("cus-%06d", 1 + rnd.nextInt(Math.max(1, customerSeq + 100)));
            }
            return customers.get(rnd.nextInt(customers.size())).getCustomerId();
        }

        void customerEvent(Instant now) {
            CustomerEvent event = customers.isEmpty() || rnd.nextInt(5) > 0
                    ? CustomersService.register(String.format("cus-%06d", ++customerSeq), rnd, now)
                    : CustomersService.update(customers.get(rnd.nextInt(customers.size())), rnd, now);
            Fault fault = publish(
                    CustomersService.DOMAIN,
                    CustomersService.TOPIC,
                    event.getCustomerId(),
                    event,
                    event.getEventId(),
                    event.getEventType().name(),
                    now,
                    CustomersService.CONTRACT_FAULTS,
                    CustomersService::spoil,
                    CustomersService::soil);
            if (fault.outcome() != Fault.Outcome.DLQ && event.getEventType() == CustomerEventType.CUSTOMER_REGISTERED) {
                customers.add(event);
            }
        }

        void orderEvent(Instant now) {
            boolean cancel = !open.isEmpty() && rnd.nextInt(100) < 12;
            int victim = cancel ? rnd.nextInt(open.size()) : -1;
            OrderEvent event = cancel
                    ? OrdersService.cancel(open.get(victim), now)
                    : OrdersService.place(String.format("ord-%08d", ++orderSeq), customerId(), rnd, now);
            Fault fault = publish(
                    OrdersService.DOMAIN,
                    OrdersService.TOPIC,
                    event.getOrderId(),
                    event,
                    event.getEventId(),
                    event.getEventType().name(),
                    now,
                    OrdersService.CONTRACT_FAULTS,
                    OrdersService::spoil,
                    OrdersService::soil);
            if (fault.outcome() == Fault.Outcome.DLQ) {
                return;
            }
            if (cancel) {
                // swap-remove keeps this O(1) however many orders are open
                open.set(victim, open.get(open.size() - 1));
                open.remove(open.size() - 1);
            } else {
                open.add(event);
                unpaid.add(event);
            }
        }

        void paymentEvent(Instant now) {
            PaymentEvent event;
            if (!authorised.isEmpty() && rnd.nextInt(100) < 10) {
                int i = rnd.nextInt(authorised.size());
                PaymentEvent refunded = authorised.get(i);
                authorised.set(i, authorised.get(authorised.size() - 1));
                authorised.remove(authorised.size() - 1);
                event = PaymentsService.refund(refunded, rnd, now);
            } else if (!unpaid.isEmpty()) {
                OrderEvent order = unpaid.poll();
                event = PaymentsService.pay(
                        order.getOrderId(), order.getTotalAmountMinor(), order.getCurrency(), rnd, now);
            } else if (plan.domains().contains(OrdersService.DOMAIN)) {
                // nothing to pay yet: the shop takes an order first, so payments only ever pay orders that exist
                orderEvent(now);
                return;
            } else {
                // payments simulated alone: orders of a shop this run does not publish, in their own id range
                OrderEvent order =
                        OrdersService.place(String.format("ord-ext-%08d", ++orderSeq), customerId(), rnd, now);
                event = PaymentsService.pay(
                        order.getOrderId(), order.getTotalAmountMinor(), order.getCurrency(), rnd, now);
            }
            Fault fault = publish(
                    PaymentsService.DOMAIN,
                    PaymentsService.TOPIC,
                    event.getOrderId(),
                    event,
                    event.getEventId(),
                    event.getEventType().name(),
                    now,
                    PaymentsService.CONTRACT_FAULTS,
                    PaymentsService::spoil,
                    null);
            if (fault.outcome() != Fault.Outcome.DLQ && event.getEventType() == PaymentEventType.PAYMENT_AUTHORISED) {
                authorised.add(event);
            }
        }

        /**
         * Sends {@code event}, spoiled by a fault picked at the plan's ratio, and at the same ratio soiled (written
         * carelessly but correctably, which the ledger notes); returns the fault.
         */
        <T extends SpecificRecord> Fault publish(
                String domain,
                String topic,
                String key,
                T event,
                String eventId,
                String type,
                Instant now,
                List<Fault> contractFaults,
                BiFunction<T, Fault, Spoiled<T>> spoil,
                BiFunction<T, Random, T> soil) {
            Fault fault = pickFault(contractFaults);
            if (soil != null && plan.invalidRatio() > 0 && rnd.nextDouble() < plan.invalidRatio()) {
                event = soil.apply(event, rnd);
                ledger.soiled(topic, eventId);
            }
            if (outbox != null && domain.equals(OrdersService.DOMAIN)) {
                return throughOutbox(topic, key, event, eventId, fault, spoil);
            }
            if (fault.outcome() == Fault.Outcome.DLQ && !fault.poisonPill()) {
                Spoiled<T> spoiled = spoil.apply(event, fault);
                emit(domain, topic, key, spoiled.event(), eventId, type, now, fault, spoiled.expectedRule());
            } else {
                emit(domain, topic, key, event, eventId, type, now, fault, null);
            }
            return fault;
        }

        /** The orders service on its database: the order and its event commit together, or not at all. */
        <T extends SpecificRecord> Fault throughOutbox(
                String topic,
                String key,
                T event,
                String eventId,
                Fault fault,
                BiFunction<T, Fault, Spoiled<T>> spoil) {
            try {
                if (fault.outcome() == Fault.Outcome.DLQ && !fault.poisonPill()) {
                    Spoiled<T> spoiled = spoil.apply(event, fault);
                    try {
                        outbox.record((OrderEvent) spoiled.event(), true);
                    } catch (io.backbone.contract.ContractViolationException | java.sql.SQLException refused) {
                        // the contract check (or the database's own constraints) failed the transaction
                        sent++;
                        ledger.countRefused(topic);
                        return fault;
                    }
                    // a rule the producer side does not check: relayed, and dead-lettered by the backbone
                    sent++;
                    ledger.add(new LedgerEntry(
                            OrdersService.DOMAIN, topic, key, eventId, fault, spoiled.expectedRule(), -1, -1));
                    return fault;
                }
                Fault sentAs = fault.poisonPill() ? Fault.NONE : fault;
                outbox.record((OrderEvent) event, true);
                sent++;
                ledger.add(new LedgerEntry(OrdersService.DOMAIN, topic, key, eventId, Fault.NONE, null, -1, -1));
                if (sentAs == Fault.DUPLICATE) {
                    outbox.republish((OrderEvent) event);
                    sent++;
                    ledger.add(
                            new LedgerEntry(OrdersService.DOMAIN, topic, key, eventId, Fault.DUPLICATE, null, -1, -1));
                }
                return sentAs;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(
                        "the orders service cannot write to its database: " + e.getMessage(), e);
            }
        }

        void emit(
                String domain,
                String topic,
                String key,
                SpecificRecord event,
                String eventId,
                String type,
                Instant now,
                Fault fault,
                String expectedRule) {
            EventPublisher publisher = publishers.get(domain);
            String ceType = "io.backbone." + domain + "." + type;
            Headers headers =
                    io.backbone.producer.publish.CloudEventHeaders.of(eventId, publisher.source(), ceType, now, key);
            byte[] value = publisher.encode(topic, event);
            switch (fault) {
                case DUPLICATE -> {
                    track(domain, topic, key, eventId, Fault.NONE, null, publisher.send(topic, key, value, headers));
                    track(
                            domain,
                            topic,
                            key,
                            eventId,
                            Fault.DUPLICATE,
                            null,
                            publisher.send(topic, key, value, headers));
                    return;
                }
                case NOT_FRAMED -> value = event.toString().getBytes(StandardCharsets.UTF_8);
                case UNKNOWN_SCHEMA_ID -> WireFormat.writeHeader(value, 0x7FFF0000 + rnd.nextInt(0xFFFF));
                case TRUNCATED_AVRO ->
                    value = java.util.Arrays.copyOf(
                            value, WireFormat.HEADER_SIZE + (value.length - WireFormat.HEADER_SIZE) / 2);
                default -> {}
            }
            track(domain, topic, key, eventId, fault, expectedRule, publisher.send(topic, key, value, headers));
        }

        void track(
                String domain,
                String topic,
                String key,
                String eventId,
                Fault fault,
                String rule,
                CompletableFuture<RecordMetadata> send) {
            sent++;
            pending.add(send.whenComplete((md, error) -> {
                if (error != null) {
                    ledger.sendFailed();
                } else {
                    ledger.add(new LedgerEntry(domain, topic, key, eventId, fault, rule, md.partition(), md.offset()));
                }
            }));
        }
    }
}
