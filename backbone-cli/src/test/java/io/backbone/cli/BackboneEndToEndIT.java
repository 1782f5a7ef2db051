package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.dlq.DeadLetter;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.TestPlatform;
import io.backbone.producer.customers.CustomersService;
import io.backbone.producer.faults.Fault;
import io.backbone.producer.simulation.Ledger;
import io.backbone.producer.simulation.LedgerEntry;
import io.backbone.producer.simulation.ShopSimulator;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.Provisioner;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.topology.BackboneApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A known mix through the real backbone on a real broker; every event accounted for from the topics themselves. */
class BackboneEndToEndIT {
    static ClientSettings settings;
    static ProductCatalog catalog = ProductCatalog.shipped();
    static BackboneApp app;
    static Ledger ledger;
    static AvroDecoder decoder;

    @BeforeAll
    static void runTheShop(@TempDir Path state) throws Exception {
        TestPlatform platform = TestPlatform.get();
        settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig());
        decoder = AvroDecoder.generic(registry);
        try (Admin admin = settings.admin()) {
            new Provisioner(admin, registry, 4).provision(catalog.products());
        }
        app = Backbone.start(
                settings,
                catalog,
                "e2e-it",
                Files.createDirectories(state).toString(),
                "integration-test-secret-0123456789",
                Map.of());
        try (ShopSimulator simulator = new ShopSimulator(settings)) {
            ledger = simulator.run(ShopSimulator.Plan.allDomains(3_000, 0.15, 0, 11), (sent, total) -> {});
        }
        ItSupport.awaitCommitted(settings, catalog, "e2e-it", Duration.ofMinutes(3));
    }

    static java.util.List<DataProduct> rawProducts() {
        return catalog.products().stream().filter(p -> p.join() == null).toList();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void shouldHaveSentEveryKindOfBadEvent() {
        assertThat(ledger.sendFailures()).isZero();
        assertThat(ledger.entries()).extracting(LedgerEntry::fault).contains(Fault.values());
    }

    @Test
    void everyProductHoldsExactlyTheValidEventsOnceEach() {
        for (DataProduct p : rawProducts()) {
            List<String> ids = ItSupport.read(settings, p.productTopic()).stream()
                    .map(r -> String.valueOf(((GenericRecord) decoder.decode(r.value())).get("eventId")))
                    .toList();

            assertThat(ids)
                    .as(p.productTopic())
                    .containsExactlyInAnyOrderElementsOf(ledger.expectedProductIds(p.rawTopic()));
        }
    }

    @Test
    void everyDlqHoldsExactlyTheBadEventsWithStageRuleAndProvenance() {
        for (DataProduct p : rawProducts()) {
            // the majors of a product share the raw stream's DLQ; each dead-letters an event under its own product id
            List<ConsumerRecord<byte[], byte[]>> dlq = ItSupport.read(settings, p.dlqTopic()).stream()
                    .filter(r -> p.id().equals(DeadLetter.text(r.headers(), DeadLetter.PRODUCT)))
                    .toList();
            List<LedgerEntry> expected = ledger.forTopic(p.rawTopic()).stream()
                    .filter(e -> e.fault().outcome() == Fault.Outcome.DLQ)
                    .toList();
            List<LedgerEntry> found = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : dlq) {
                LedgerEntry entry = ledger.at(
                        DeadLetter.text(r.headers(), DeadLetter.TOPIC),
                        Integer.parseInt(DeadLetter.text(r.headers(), DeadLetter.PARTITION)),
                        Long.parseLong(DeadLetter.text(r.headers(), DeadLetter.OFFSET)));
                assertThat(entry)
                        .as("%s-%d@%d traces back to a sent event", p.dlqTopic(), r.partition(), r.offset())
                        .isNotNull();
                assertThat(DeadLetter.text(r.headers(), DeadLetter.STAGE))
                        .as(entry.toString())
                        .isEqualTo(entry.fault().stage());
                if (entry.expectedRule() != null) {
                    assertThat(DeadLetter.violations(r.headers()))
                            .extracting(v -> v.rule())
                            .as(entry.toString())
                            // a major that nests the field names the rule by its path there (total.currency...)
                            .anyMatch(rule ->
                                    rule.equals(entry.expectedRule()) || rule.endsWith("." + entry.expectedRule()));
                }
                assertThat(DeadLetter.text(r.headers(), "ce_id")).isEqualTo(entry.eventId());
                found.add(entry);
            }
            assertThat(found).as(p.dlqTopic()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void noRawPiiValueAppearsInAnyProductTopic() {
        List<String> pii = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : ItSupport.read(settings, CustomersService.TOPIC)) {
            GenericRecord c;
            try {
                c = (GenericRecord) decoder.decode(r.value());
            } catch (RuntimeException poisonPill) {
                continue;
            }
            GenericRecord address = (GenericRecord) c.get("address");
            pii.add(Objects.toString(c.get("email"), null));
            pii.add(c.get("fullName").toString());
            pii.add(Objects.toString(c.get("phone"), null));
            pii.add(address.get("street").toString());
            pii.add(address.get("postalCode").toString());
        }
        List<String> values = pii.stream()
                .filter(Objects::nonNull)
                .filter(v -> v.length() >= 5)
                .distinct()
                .toList();
        assertThat(values).hasSizeGreaterThan(1000);

        java.util.Set<String> raw = new java.util.HashSet<>(values);
        // in the bytes: values that cannot occur by chance inside the hex of a hash or a UUID ("75001" can)
        List<String> distinctive =
                values.stream().filter(v -> !v.matches("[0-9a-fA-F-]+")).toList();
        assertThat(distinctive).hasSizeGreaterThan(1000);
        for (DataProduct p : catalog.products()) {
            List<ConsumerRecord<byte[], byte[]>> records = ItSupport.read(settings, p.productTopic());
            String topicText = String.join(
                    "\n",
                    records.stream()
                            .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                            .toList());
            assertThat(distinctive).as("raw PII in " + p.productTopic()).noneMatch(topicText::contains);
            // and every value, as a whole field of any product record
            for (ConsumerRecord<byte[], byte[]> r : records) {
                List<String> strings = new ArrayList<>();
                strings((GenericRecord) decoder.decode(r.value()), strings);
                assertThat(strings)
                        .as("raw PII in %s-%d@%d", p.productTopic(), r.partition(), r.offset())
                        .noneMatch(raw::contains);
            }
        }
    }

    /** Every string value in {@code value}, however nested. */
    private static void strings(Object value, List<String> out) {
        if (value instanceof GenericRecord g) {
            g.getSchema().getFields().forEach(f -> strings(g.get(f.pos()), out));
        } else if (value instanceof java.util.Collection<?> c) {
            c.forEach(v -> strings(v, out));
        } else if (value instanceof java.util.Map<?, ?> m) {
            m.forEach((k, v) -> {
                strings(k, out);
                strings(v, out);
            });
        } else if (value instanceof CharSequence || value instanceof org.apache.avro.generic.GenericEnumSymbol<?>) {
            out.add(value.toString());
        }
    }

    @Test
    void paidOrdersHoldEveryPlacedOrderWithItsAuthorisingPayment() {
        java.util.Map<String, String> placed = new java.util.HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : ItSupport.read(settings, "orders.product.orders.v1")) {
            GenericRecord o = (GenericRecord) decoder.decode(r.value());
            if (o.get("eventType").toString().equals("ORDER_PLACED")) {
                placed.put(o.get("orderId").toString(), o.get("eventId").toString());
            }
        }
        List<String> expected = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : ItSupport.read(settings, "payments.product.payments.v1")) {
            GenericRecord p = (GenericRecord) decoder.decode(r.value());
            String order = placed.get(p.get("orderId").toString());
            if (p.get("eventType").toString().equals("PAYMENT_AUTHORISED") && order != null) {
                expected.add(order + "/" + p.get("eventId"));
            }
        }

        List<String> paid = ItSupport.read(settings, "sales.product.paid-orders.v1").stream()
                .map(r -> String.valueOf(((GenericRecord) decoder.decode(r.value())).get("eventId")))
                .toList();

        assertThat(expected).hasSizeGreaterThan(300);
        assertThat(paid).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(ItSupport.read(settings, "sales.dlq.paid-orders")).isEmpty();
    }

    @Test
    void metricsCountWhatTheTopicsHold() {
        Map<String, Map<String, Double>> totals = app.productTotals();
        for (DataProduct p : rawProducts()) {
            assertThat(totals.get(p.id()).get("valid"))
                    .isEqualTo((double) ledger.expectedProductIds(p.rawTopic()).size());
            assertThat(totals.get(p.id()).get("duplicate")).isEqualTo((double) ledger.expectedDuplicates(p.rawTopic()));
        }
    }

    /**
     * A consumer written against major 1's generated classes ({@code io.backbone.orders.v1.OrderEvent}) reads major 1
     * unchanged, every field in its old place, while major 2 is published beside it from the same raw events.
     */
    @Test
    void aConsumerCompiledAgainstMajorOnesClassesReadsItUnchangedWhileMajorTwoIsPublished() {
        java.util.Map<String, io.backbone.orders.v1.OrderEvent> one = new java.util.HashMap<>();
        try (io.backbone.consumer.ProductSubscriber<io.backbone.orders.v1.OrderEvent> subscriber =
                io.backbone.consumer.ProductSubscriber.of(
                        settings.clientConfig(),
                        catalog,
                        "orders",
                        1,
                        io.backbone.orders.v1.OrderEvent.class,
                        "e2e-v1-reader")) {
            assertThat(subscriber.deprecation()).contains("2027-03-31").contains("orders.product.orders.v2");
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!subscriber.caughtUp() && System.nanoTime() < until) {
                for (ConsumerRecord<String, io.backbone.orders.v1.OrderEvent> r :
                        subscriber.poll(Duration.ofMillis(500))) {
                    one.put(r.value().getEventId(), r.value());
                    assertThat(DeadLetter.text(r.headers(), DeadLetter.SUNSET)).isEqualTo("2027-03-31");
                }
            }
        }
        java.util.Map<String, GenericRecord> two = new java.util.HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : ItSupport.read(settings, "orders.product.orders.v2")) {
            GenericRecord o = (GenericRecord) decoder.decode(r.value());
            two.put(o.get("eventId").toString(), o);
        }
        assertThat(one).isNotEmpty();
        assertThat(two.keySet()).isEqualTo(one.keySet());
        for (io.backbone.orders.v1.OrderEvent v1 : one.values()) {
            GenericRecord v2 = two.get(v1.getEventId());
            GenericRecord total = (GenericRecord) v2.get("total");
            assertThat(total.get("amountMinor")).isEqualTo(v1.getTotalAmountMinor());
            assertThat(total.get("currency").toString()).isEqualTo(v1.getCurrency());
            assertThat(v2.get("orderId").toString()).isEqualTo(v1.getOrderId());
            assertThat(v2.getSchema().getField("cancellationReason")).isNull();
        }
        assertThat(one.values())
                .as("major 1 still carries the field major 2 dropped")
                .anyMatch(o -> o.getCancellationReason() != null);
    }
}
