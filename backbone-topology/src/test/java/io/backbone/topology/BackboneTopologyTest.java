package io.backbone.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbone.contract.Masker;
import io.backbone.customers.v1.CustomerEvent;
import io.backbone.dlq.DeadLetter;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.payments.v1.PaymentEvent;
import io.backbone.producer.customers.CustomersService;
import io.backbone.producer.faults.Fault;
import io.backbone.producer.faults.Spoiled;
import io.backbone.producer.orders.OrdersService;
import io.backbone.producer.payments.PaymentsService;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RegistryClientConfig;
import io.backbone.registry.RegistryUnavailableException;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.ConfluentAvroDeserializer;
import io.backbone.serde.ConfluentAvroSerializer;
import io.backbone.serde.WireFormat;
import io.backbone.topology.dedup.DedupMode;
import io.backbone.topology.metrics.ProductMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every check and every poison-pill kind of the shipped catalog, through the real topology, in both dedup modes. */
@ParameterizedClass(name = "dedup {0}")
@EnumSource(
        value = DedupMode.class,
        names = {"CHANGELOG", "PRODUCT_TOPIC"})
class BackboneTopologyTest extends TopologyTestSupport {
    static final Random RND = new Random(7);

    static OrderEvent order() {
        return OrdersService.place("ord-00000001", "cus-000001", RND, NOW);
    }

    static PaymentEvent payment() {
        return PaymentsService.pay("ord-00000001", 4200, "EUR", new Random(1), NOW);
    }

    static CustomerEvent customer() {
        return CustomersService.register("cus-000001", RND, NOW);
    }

    @Test
    void shouldPublishAValidOrderToItsProductTopicKeepingKeyAndCloudEventHeaders() {
        OrderEvent order = order();
        TestRecord<String, byte[]> in = new TestRecord<>("ord-00000001", encode(OrdersService.TOPIC, order));
        in.headers().add("ce_id", order.getEventId().getBytes(StandardCharsets.UTF_8));

        raw(OrdersService.TOPIC).pipeInput(in);

        List<TestRecord<String, byte[]>> product =
                out("orders.product.orders.v1").readRecordsToList();
        assertThat(product).hasSize(1);
        assertThat(product.get(0).key()).isEqualTo("ord-00000001");
        assertThat(DeadLetter.text(product.get(0).headers(), "ce_id")).isEqualTo(order.getEventId());
        assertThat(decode(product.get(0).value(), OrderEvent.class)).isEqualTo(order);
        assertThat(out("orders.dlq.order-events").isEmpty()).isTrue();
        // the product value is framed with the id of the product subject, registered by the backbone
        assertThat(WireFormat.schemaId(product.get(0).value()))
                .isEqualTo(client.latest("orders.product.orders.v1-value").id());
    }

    @Test
    void shouldPassOnlyCloudEventHeadersToAProductAndKeepEveryHeaderInTheDeadLetter() {
        OrderEvent order = order();
        TestRecord<String, byte[]> in = new TestRecord<>("ord-00000001", encode(OrdersService.TOPIC, order));
        in.headers().add("ce_id", order.getEventId().getBytes(StandardCharsets.UTF_8));
        in.headers().add("content-type", "application/avro".getBytes(StandardCharsets.UTF_8));
        in.headers().add("x-customer-email", "jane@example.com".getBytes(StandardCharsets.UTF_8));
        in.headers().add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));
        raw(OrdersService.TOPIC).pipeInput(in);

        TestRecord<String, byte[]> published =
                out("orders.product.orders.v1").readRecordsToList().get(0);
        assertThat(published.headers().toArray())
                .extracting(org.apache.kafka.common.header.Header::key)
                .contains("ce_id", "content-type")
                .doesNotContain("x-customer-email", "traceparent");

        TestRecord<String, byte[]> spoiled = new TestRecord<>(
                "ord-00000002",
                encode(
                        OrdersService.TOPIC,
                        OrdersService.spoil(order(), Fault.NEGATIVE_AMOUNT).event()));
        spoiled.headers().add("x-customer-email", "jane@example.com".getBytes(StandardCharsets.UTF_8));
        raw(OrdersService.TOPIC).pipeInput(spoiled);
        TestRecord<String, byte[]> dead =
                out("orders.dlq.order-events").readRecordsToList().get(0);
        assertThat(DeadLetter.text(dead.headers(), "x-customer-email")).isEqualTo("jane@example.com");
    }

    static Stream<Arguments> contractFaults() {
        return Stream.of(
                Arguments.of(
                        OrdersService.TOPIC,
                        "orders.dlq.order-events",
                        OrdersService.spoil(order(), Fault.NEGATIVE_AMOUNT),
                        "orders.raw.order-events"),
                Arguments.of(
                        OrdersService.TOPIC,
                        "orders.dlq.order-events",
                        OrdersService.spoil(order(), Fault.INCONSISTENT_TOTAL),
                        "orders.product.orders"),
                Arguments.of(
                        OrdersService.TOPIC,
                        "orders.dlq.order-events",
                        OrdersService.spoil(order(), Fault.UNKNOWN_CURRENCY),
                        // the shop's currencies are a promise of the raw stream, so producers' serializers check it
                        "orders.raw.order-events"),
                Arguments.of(
                        OrdersService.TOPIC,
                        "orders.dlq.order-events",
                        OrdersService.spoil(order(), Fault.MISSING_REQUIRED),
                        "orders.raw.order-events"),
                Arguments.of(
                        PaymentsService.TOPIC,
                        "payments.dlq.payment-events",
                        PaymentsService.spoil(payment(), Fault.NEGATIVE_AMOUNT),
                        "payments.raw.payment-events"),
                Arguments.of(
                        PaymentsService.TOPIC,
                        "payments.dlq.payment-events",
                        PaymentsService.spoil(payment(), Fault.UNKNOWN_CURRENCY),
                        "payments.product.payments"),
                Arguments.of(
                        PaymentsService.TOPIC,
                        "payments.dlq.payment-events",
                        PaymentsService.spoil(payment(), Fault.MISSING_REASON),
                        "payments.product.payments"),
                Arguments.of(
                        CustomersService.TOPIC,
                        "customers.dlq.customer-events",
                        CustomersService.spoil(customer(), Fault.MALFORMED_EMAIL),
                        "customers.raw.customer-events"),
                Arguments.of(
                        CustomersService.TOPIC,
                        "customers.dlq.customer-events",
                        CustomersService.spoil(customer(), Fault.MISSING_REQUIRED),
                        "customers.raw.customer-events"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("contractFaults")
    void shouldDeadLetterEveryContractViolationWithStageRuleAndProvenance(
            String rawTopic, String dlqTopic, Spoiled<?> spoiled, String contractId) {
        byte[] bytes = encode(rawTopic, spoiled.event());

        raw(rawTopic).pipeInput("key-1", bytes);

        List<TestRecord<String, byte[]>> all = out(dlqTopic).readRecordsToList();
        String first = dlqTopic.substring(0, dlqTopic.indexOf('.'));
        // one dead letter per live major of the product (orders has two), each naming its product
        assertThat(all)
                .extracting(r -> DeadLetter.text(r.headers(), DeadLetter.PRODUCT))
                .containsExactlyInAnyOrderElementsOf(
                        first.equals("orders") ? List.of("orders.v2", "orders") : List.of(first));
        List<TestRecord<String, byte[]>> dlq = majorOne(all);
        assertThat(dlq).hasSize(1);
        Headers h = dlq.get(0).headers();
        assertThat(dlq.get(0).value()).isEqualTo(bytes);
        assertThat(dlq.get(0).key()).isEqualTo("key-1");
        assertThat(DeadLetter.text(h, DeadLetter.STAGE))
                .isEqualTo(spoiled.fault().stage());
        assertThat(DeadLetter.violations(h)).extracting(v -> v.rule()).contains(spoiled.expectedRule());
        assertThat(DeadLetter.text(h, DeadLetter.RULE)).isEqualTo(spoiled.expectedRule());
        assertThat(DeadLetter.text(h, DeadLetter.CONTRACT_ID)).isEqualTo(contractId);
        assertThat(DeadLetter.text(h, DeadLetter.CONTRACT_VERSION))
                .as("the contract's version (orders' major 1 is 1.1.0 since it was deprecated, the raw orders contract"
                        + " since it lists the shop's currencies)")
                .isEqualTo(contractId.startsWith("orders.") ? "1.1.0" : "1.0.0");
        assertThat(DeadLetter.text(h, DeadLetter.TOPIC)).isEqualTo(rawTopic);
        assertThat(DeadLetter.text(h, DeadLetter.PARTITION)).isEqualTo("0");
        assertThat(DeadLetter.text(h, DeadLetter.OFFSET)).isEqualTo("0");
        assertThat(DeadLetter.text(h, DeadLetter.EXCEPTION)).isEqualTo(DeadLetter.CONTRACT_VIOLATION);
        assertThat(DeadLetter.text(h, DeadLetter.FORMAT)).isEqualTo("1");
        String product = dlqTopic.substring(0, dlqTopic.indexOf('.'));
        assertThat(metric(
                        ProductMetrics.RULE_GROUP,
                        "failed-total",
                        ProductMetrics.RULE_TAG,
                        product + "/" + spoiled.expectedRule()))
                .isEqualTo(1.0);
        assertThat(metric(
                        ProductMetrics.GROUP, "dlq-" + spoiled.fault().stage() + "-total", ProductMetrics.TAG, product))
                .isEqualTo(1.0);
    }

    double metric(String group, String name, String tag, String value) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(group)
                        && e.getKey().name().equals(name)
                        && value.equals(e.getKey().tags().get(tag)))
                .mapToDouble(e -> (Double) e.getValue().metricValue())
                .sum();
    }

    @Test
    void shouldPublishARecordThatOnlyFailsAWarningRuleWithAWarningHeader() {
        OrderEvent future = OrderEvent.newBuilder(order())
                .setOccurredAt(NOW.plusSeconds(3600))
                .build();

        raw(OrdersService.TOPIC).pipeInput(future.getOrderId(), encode(OrdersService.TOPIC, future));

        TestRecord<String, byte[]> published = out("orders.product.orders.v1").readRecord();
        assertThat(DeadLetter.text(published.headers(), DeadLetter.WARNINGS)).contains("not-from-the-future");
        assertThat(out("orders.dlq.order-events").isEmpty()).isTrue();
        assertThat(metric(ProductMetrics.GROUP, "warned-total", ProductMetrics.TAG, "orders"))
                .isEqualTo(1.0);
        assertThat(metric(
                        ProductMetrics.RULE_GROUP,
                        "warned-total",
                        ProductMetrics.RULE_TAG,
                        "orders/not-from-the-future"))
                .isEqualTo(1.0);
    }

    @Test
    void shouldRedactPiiValuesInViolationMessages() {
        CustomerEvent c = customer();
        Spoiled<CustomerEvent> spoiled = CustomersService.spoil(c, Fault.MALFORMED_EMAIL);

        raw(CustomersService.TOPIC).pipeInput("cus-000001", encode(CustomersService.TOPIC, spoiled.event()));

        Headers h = out("customers.dlq.customer-events").readRecord().headers();
        String headersText = DeadLetter.text(h, DeadLetter.VIOLATIONS) + DeadLetter.text(h, DeadLetter.MESSAGE);
        assertThat(headersText)
                .contains("<redacted PII>")
                .doesNotContain(spoiled.event().getEmail());
    }

    @Test
    void shouldDeadLetterEveryKindOfPoisonPillAndKeepRunning() {
        byte[] valid = encode(OrdersService.TOPIC, order());
        byte[] unknownId = valid.clone();
        WireFormat.writeHeader(unknownId, 0x7FFF1234);
        byte[] truncated = Arrays.copyOf(valid, 5 + (valid.length - 5) / 2);
        TestInputTopic<String, byte[]> in = raw(OrdersService.TOPIC);

        in.pipeInput("a", "{\"orderId\":\"json\"}".getBytes(StandardCharsets.UTF_8));
        in.pipeInput("b", unknownId);
        in.pipeInput("c", truncated);
        in.pipeInput("d", (byte[]) null);
        in.pipeInput("e", valid);

        List<TestRecord<String, byte[]>> both = out("orders.dlq.order-events").readRecordsToList();
        assertThat(both)
                .hasSize(8)
                .filteredOn(r -> "orders.v2".equals(DeadLetter.text(r.headers(), DeadLetter.PRODUCT)))
                .as("major 2 dead-letters them too")
                .hasSize(4);
        List<TestRecord<String, byte[]>> dlq = majorOne(both);
        assertThat(dlq)
                .extracting(r -> DeadLetter.text(r.headers(), DeadLetter.STAGE))
                .containsOnly("deserialize");
        assertThat(dlq)
                .extracting(r -> DeadLetter.text(r.headers(), DeadLetter.RULE))
                .containsExactly(
                        "deserialize.not-framed",
                        "deserialize.unknown-schema-id",
                        // cut inside a string: the length it declares runs past the record's end
                        "deserialize.length-exceeds-record",
                        "deserialize.null-value");
        assertThat(dlq)
                .extracting(r -> DeadLetter.text(r.headers(), DeadLetter.OFFSET))
                .containsExactly("0", "1", "2", "3");
        assertThat(dlq.get(2).value()).isEqualTo(truncated);
        assertThat(out("orders.product.orders.v1").readRecordsToList()).hasSize(1);
    }

    @Test
    void shouldDeadLetterARecordWhoseWriterSchemaDoesNotResolveToTheContract() {
        Schema alien = SchemaBuilder.record("OrderEvent")
                .namespace("io.backbone.orders.v1")
                .fields()
                .requiredLong("eventId")
                .endRecord();
        GenericRecord record = new GenericData.Record(alien);
        record.put("eventId", 1L);
        client.setCompatibility("orders.raw.order-events-value", "NONE");
        ConfluentAvroSerializer<GenericRecord> generic = new ConfluentAvroSerializer<>(client);
        generic.configure(Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url()), false);

        raw(OrdersService.TOPIC).pipeInput("x", generic.serialize(OrdersService.TOPIC, record));

        Headers h = majorOne(out("orders.dlq.order-events").readRecordsToList())
                .get(0)
                .headers();
        assertThat(DeadLetter.text(h, DeadLetter.STAGE)).isEqualTo("schema");
        assertThat(DeadLetter.text(h, DeadLetter.RULE)).isEqualTo("schema.compatible");
        assertThat(DeadLetter.text(h, DeadLetter.MESSAGE)).contains("does not resolve to the contract schema");
    }

    @Test
    void shouldDropTheSecondCopyOfAnEventIdAndCountIt() {
        byte[] bytes = encode(PaymentsService.TOPIC, payment());
        TestInputTopic<String, byte[]> in = raw(PaymentsService.TOPIC);

        in.pipeInput("ord-00000001", bytes);
        in.pipeInput("ord-00000001", bytes);

        assertThat(out("payments.product.payments.v1").readRecordsToList()).hasSize(1);
        assertThat(out("payments.dlq.payment-events").isEmpty()).isTrue();
        assertThat(metric(ProductMetrics.GROUP, "duplicate-total", ProductMetrics.TAG, "payments"))
                .isEqualTo(1.0);
    }

    @Test
    void shouldMaskEveryPiiFieldOfTheCustomersProductAndLeakNoRawValue() {
        CustomerEvent c =
                CustomerEvent.newBuilder(customer()).setPhone("+4915112345678").build();

        raw(CustomersService.TOPIC).pipeInput(c.getCustomerId(), encode(CustomersService.TOPIC, c));

        byte[] bytes = out("customers.product.customers.v1").readRecord().value();
        CustomerEvent masked = decode(bytes, CustomerEvent.class);
        assertThat(masked.getEmail()).isEqualTo(masker.hash(c.getEmail())).hasSize(64);
        assertThat(masked.getFullName()).isEqualTo(masker.hash(c.getFullName()));
        assertThat(masked.getPhone()).isNull();
        assertThat(masked.getAddress().getStreet()).isEqualTo(Masker.REDACTED);
        assertThat(masked.getAddress().getPostalCode())
                .isEqualTo(masker.hash(c.getAddress().getPostalCode()));
        assertThat(masked.getAddress().getCity()).isEqualTo(c.getAddress().getCity());
        assertThat(masked.getCustomerId()).isEqualTo(c.getCustomerId());
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(List.of(
                        c.getEmail(),
                        c.getFullName(),
                        c.getPhone(),
                        c.getAddress().getStreet()))
                .noneMatch(text::contains);
    }

    @Test
    void shouldJoinAnOrderWithItsAuthorisingPaymentIntoTheSalesProduct() {
        OrderEvent order = order();
        PaymentEvent payment = PaymentsService.pay(
                order.getOrderId(),
                order.getTotalAmountMinor(),
                order.getCurrency(),
                new Random(1),
                NOW.plusSeconds(30));
        assertThat(payment.getEventType().name()).isEqualTo("PAYMENT_AUTHORISED");
        TestInputTopic<String, byte[]> orders = raw(OrdersService.TOPIC);
        TestInputTopic<String, byte[]> payments = raw(PaymentsService.TOPIC);

        orders.pipeInput(order.getOrderId(), encode(OrdersService.TOPIC, order), NOW);
        payments.pipeInput(order.getOrderId(), encode(PaymentsService.TOPIC, payment), NOW.plusSeconds(30));

        List<TestRecord<String, byte[]>> paid =
                out("sales.product.paid-orders.v1").readRecordsToList();
        assertThat(paid).hasSize(1);
        GenericRecord p = new ConfluentAvroDeserializer<GenericRecord>(client, null)
                .deserialize("any", paid.get(0).value());
        assertThat(paid.get(0).key()).isEqualTo(order.getOrderId());
        assertThat(p.get("eventId").toString()).isEqualTo(order.getEventId() + "/" + payment.getEventId());
        assertThat(p.get("customerId").toString()).isEqualTo(order.getCustomerId());
        assertThat(p.get("paidAmountMinor")).isEqualTo(order.getTotalAmountMinor());
        assertThat(p.get("method").toString()).isEqualTo(payment.getMethod().name());
        assertThat(p.get("placedAt")).isEqualTo(NOW.toEpochMilli());
        assertThat(out("sales.dlq.paid-orders").isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterAJoinedPairThatBreaksTheJoinProductsContract() {
        OrderEvent order = order();
        PaymentEvent partial = PaymentsService.pay(
                order.getOrderId(), order.getTotalAmountMinor() - 1, order.getCurrency(), new Random(1), NOW);

        raw(OrdersService.TOPIC).pipeInput(order.getOrderId(), encode(OrdersService.TOPIC, order), NOW);
        raw(PaymentsService.TOPIC).pipeInput(order.getOrderId(), encode(PaymentsService.TOPIC, partial), NOW);

        assertThat(out("sales.product.paid-orders.v1").isEmpty()).isTrue();
        TestRecord<String, byte[]> dlq = out("sales.dlq.paid-orders").readRecord();
        assertThat(DeadLetter.text(dlq.headers(), DeadLetter.RULE)).isEqualTo("paid-in-full");
        assertThat(DeadLetter.text(dlq.headers(), DeadLetter.CONTRACT_ID)).isEqualTo("sales.product.paid-orders");
    }

    @Test
    void shouldNotJoinAPaymentOutsideTheWindowOrAFilteredEvent() {
        OrderEvent order = order();
        OrderEvent cancelled = OrdersService.cancel(order, NOW);
        PaymentEvent late = PaymentsService.pay(
                order.getOrderId(), order.getTotalAmountMinor(), order.getCurrency(), new Random(1), NOW);

        raw(OrdersService.TOPIC).pipeInput(order.getOrderId(), encode(OrdersService.TOPIC, cancelled), NOW);
        raw(OrdersService.TOPIC).pipeInput(order.getOrderId(), encode(OrdersService.TOPIC, order), NOW);
        raw(PaymentsService.TOPIC)
                .pipeInput(order.getOrderId(), encode(PaymentsService.TOPIC, late), NOW.plusSeconds(2 * 3600));

        assertThat(out("orders.product.orders.v1").readRecordsToList()).hasSize(2);
        assertThat(out("sales.product.paid-orders.v1").isEmpty()).isTrue();
        assertThat(out("sales.dlq.paid-orders").isEmpty()).isTrue();
    }

    @Test
    void shouldFailRatherThanDeadLetterWhenTheRegistryIsUnreachable() {
        byte[] bytes = encode(OrdersService.TOPIC, order());
        registry.close();
        // a fresh client has no cached schema, so decoding this record needs the (now unreachable) registry
        RestSchemaRegistryClient cold = new RestSchemaRegistryClient(Map.of(
                RegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url(),
                RegistryClientConfig.MAX_RETRIES, "1",
                RegistryClientConfig.RETRY_BACKOFF_MS, "10"));
        try (TopologyTestDriver outage = new TopologyTestDriver(
                BackboneTopology.topology(ProductCatalog.shipped().products(), cold, masker, dedup, this::history),
                driverProperties("backbone-outage-test"))) {
            TestInputTopic<String, byte[]> in =
                    outage.createInputTopic(OrdersService.TOPIC, new StringSerializer(), new ByteArraySerializer());

            assertThatThrownBy(() -> in.pipeInput("ord-00000001", bytes)).satisfies(e -> {
                Throwable t = e;
                while (t != null && !(t instanceof RegistryUnavailableException)) {
                    t = t.getCause();
                }
                assertThat(t)
                        .as("cause chain holds the registry outage")
                        .isInstanceOf(RegistryUnavailableException.class);
            });

            assertThat(outage.createOutputTopic(
                                    "orders.dlq.order-events", new StringDeserializer(), new ByteArrayDeserializer())
                            .isEmpty())
                    .isTrue();
            assertThat(outage.createOutputTopic(
                                    "orders.product.orders.v1", new StringDeserializer(), new ByteArrayDeserializer())
                            .isEmpty())
                    .isTrue();
        }
    }

    /** The dead letters of each product's first major (product id without a major suffix). */
    static List<TestRecord<String, byte[]>> majorOne(List<TestRecord<String, byte[]>> deadLetters) {
        return deadLetters.stream()
                .filter(r -> !String.valueOf(DeadLetter.text(r.headers(), DeadLetter.PRODUCT))
                        .matches(".*\\.v[0-9]+$"))
                .toList();
    }
}
