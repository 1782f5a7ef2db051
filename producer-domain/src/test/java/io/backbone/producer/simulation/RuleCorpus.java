package io.backbone.producer.simulation;

import io.backbone.contract.CompiledContract;
import io.backbone.contract.RecordRule;
import io.backbone.contract.rules.ValueRule;
import io.backbone.inventory.cdc.ChangeSource;
import io.backbone.inventory.cdc.Operation;
import io.backbone.inventory.cdc.Stock;
import io.backbone.inventory.cdc.StockChange;
import io.backbone.producer.customers.CustomersService;
import io.backbone.producer.faults.Fault;
import io.backbone.producer.orders.OrdersService;
import io.backbone.producer.payments.PaymentsService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * Records to hold a contract's rules against, per raw stream: the simulators' valid events, every fault they know, and
 * copies made to break one value rule each. Tests compare verdicts on them (the backbone's rules against the rule
 * sets exported for Confluent's serializers).
 */
public final class RuleCorpus {
    private RuleCorpus() {}

    /** Valid events of each raw stream the simulators write, and every fault they know applied to them. */
    public static Map<String, List<SpecificRecord>> corpus(Instant now) {
        Random rnd = new Random(7);
        List<SpecificRecord> orders = new ArrayList<>();
        List<SpecificRecord> payments = new ArrayList<>();
        List<SpecificRecord> customers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            var order = OrdersService.place(String.format("ord-%08d", i), String.format("cus-%06d", i), rnd, now);
            orders.add(order);
            orders.add(OrdersService.cancel(order, now));
            var payment = PaymentsService.pay(order.getOrderId(), 1000 + i, "EUR", rnd, now);
            payments.add(payment);
            payments.add(PaymentsService.refund(payment, rnd, now));
            customers.add(CustomersService.register(String.format("cus-%06d", i), rnd, now));
        }
        // currencies the raw contract corrects (trimmed of Unicode white space, ASCII upper-cased) before its rules,
        // and ones no correction saves: a serializer must correct them the same way in CEL to agree
        for (String currency : CORRECTED_CURRENCIES) {
            var order = OrdersService.place("ord-c", "cus-000001", rnd, now);
            order.setCurrency(currency);
            orders.add(order);
        }
        for (Fault f : Fault.values()) {
            // each service spoils in the ways that apply to its events and refuses the others
            try {
                orders.add(OrdersService.spoil(OrdersService.place("ord-f", "cus-000001", rnd, now), f)
                        .event());
            } catch (IllegalArgumentException notForOrders) {
                // next service
            }
            try {
                payments.add(PaymentsService.spoil(PaymentsService.pay("ord-f", 500, "EUR", rnd, now), f)
                        .event());
            } catch (IllegalArgumentException notForPayments) {
                // next service
            }
            try {
                customers.add(CustomersService.spoil(CustomersService.register("cus-f", rnd, now), f)
                        .event());
            } catch (IllegalArgumentException notForCustomers) {
                // next fault
            }
        }
        return Map.of(
                OrdersService.TOPIC,
                orders,
                PaymentsService.TOPIC,
                payments,
                CustomersService.TOPIC,
                customers,
                INVENTORY_TOPIC,
                stockChanges(rnd, now));
    }

    /** The raw stream {@code backbone cdc} captures from the inventory database's stock table. */
    public static final String INVENTORY_TOPIC = "inventory.raw.stock-changes";

    /**
     * Changes of the stock table as the capture writes them: snapshot reads, creates, updates and deletes of valid
     * rows (some without a supplier e-mail), and changes whose operation and rows disagree (a create without the row
     * after it, a delete without the row before it).
     */
    static List<SpecificRecord> stockChanges(Random rnd, Instant now) {
        List<SpecificRecord> changes = new ArrayList<>();
        List<String> currencies = List.of("EUR", "USD", "GBP", "CHF", "PLN", "SEK", "DKK", "NOK");
        long lsn = 1000;
        for (int i = 0; i < 12; i++) {
            Stock row = new Stock(
                    String.format("SKU-%06d", i),
                    "BER-" + (1 + i % 3),
                    rnd.nextInt(500),
                    100L + rnd.nextInt(100_000),
                    currencies.get(i % currencies.size()),
                    i % 4 == 0 ? null : "supplier" + i + "@example.com",
                    now.minusSeconds(i));
            Stock changed = Stock.newBuilder(row)
                    .setQuantity(row.getQuantity() + 1)
                    .setUpdatedAt(now)
                    .build();
            changes.add(change(Operation.READ, null, row, lsn++, now));
            changes.add(change(Operation.CREATE, null, row, lsn++, now));
            changes.add(change(Operation.UPDATE, row, changed, lsn++, now));
            changes.add(change(Operation.DELETE, changed, null, lsn++, now));
        }
        Stock row = ((StockChange) changes.get(1)).getAfter();
        changes.add(change(Operation.CREATE, null, null, lsn++, now));
        changes.add(change(Operation.DELETE, null, null, lsn++, now));
        changes.add(change(Operation.UPDATE, row, null, lsn, now));
        return changes;
    }

    private static StockChange change(Operation op, Stock before, Stock after, long lsn, Instant now) {
        return new StockChange(
                "inventory.stock/" + lsn + "/" + op,
                op,
                before,
                after,
                new ChangeSource("inventory", "inventory", "stock", lsn, op == Operation.READ ? null : lsn, false),
                now);
    }

    /**
     * Currencies as producers misspell them: lower case and surrounding (no-break, em) spaces, which the correction
     * saves; a long s (Java upper-cases it to S, an ASCII upper-casing does not), a control character Java's strip()
     * would remove but Unicode does not count as white space, and a code the shop does not sell in, which it does not.
     */
    static final List<String> CORRECTED_CURRENCIES =
            List.of(" eur ", "gbp", "\u00a0chf\u2003", "\tusd\n", "\u017fek", "usd\u001f", "XYZ", "xyz ");

    /** What the backbone checks: a copy of {@code record} with {@code contract}'s corrections applied. */
    public static GenericRecord corrected(CompiledContract contract, GenericRecord record) {
        GenericRecord copy = GenericData.get().deepCopy(record.getSchema(), record);
        contract.corrections().forEach(c -> c.apply(copy));
        return copy;
    }

    /** A copy of {@code record} with the value of {@code rule}'s field made to break it (null: no way known). */
    public static GenericRecord breaking(GenericRecord record, ValueRule rule) {
        GenericRecord copy = GenericData.get().deepCopy(record.getSchema(), record);
        String check = rule.name().substring(rule.field().path().length() + 1);
        Schema leaf = rule.field().leafSchema();
        UnaryOperator<Object> spoil =
                switch (check) {
                    case "required", "nullValues" -> v -> null;
                    case "minimum", "exclusiveMinimum" ->
                        v -> leaf.getType() == Schema.Type.INT
                                ? (Object) Integer.MIN_VALUE
                                : leaf.getType() == Schema.Type.LONG
                                        ? (Object) (-1_000_000_000_000L)
                                        : (Object) (-1e12);
                    case "maximum", "exclusiveMaximum" ->
                        v -> leaf.getType() == Schema.Type.INT
                                ? (Object) Integer.MAX_VALUE
                                : leaf.getType() == Schema.Type.LONG ? (Object) 1_000_000_000_000L : (Object) 1e12;
                    case "minLength" -> v -> "";
                    case "maxLength" -> v -> "x".repeat(10_000);
                    default ->
                        v -> leaf.getType() == Schema.Type.ENUM
                                ? new GenericData.EnumSymbol(leaf, "NOT_A_SYMBOL")
                                : "!! not a valid value !!";
                };
        return rule.field().update(copy, spoil) ? copy : null;
    }

    /**
     * {@code events} as records, each followed by the copies of it made to break one of {@code rules} (the value
     * rules; a CEL rule is broken only by the events themselves).
     */
    public static List<GenericRecord> withBreakingRecords(List<SpecificRecord> events, List<RecordRule> rules) {
        List<GenericRecord> out = new ArrayList<>();
        for (SpecificRecord e : events) {
            GenericRecord g = (GenericRecord) e;
            out.add(g);
            for (RecordRule rule : rules) {
                if (rule instanceof ValueRule v) {
                    GenericRecord broken = breaking(g, v);
                    if (broken != null) {
                        out.add(broken);
                    }
                }
            }
        }
        return out;
    }
}
