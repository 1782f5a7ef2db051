package io.backbone.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.backbone.dlq.DeadLetter;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.payments.v1.PaymentEvent;
import io.backbone.platform.registry.EmbeddedSchemaRegistry;
import io.backbone.producer.orders.OrdersService;
import io.backbone.producer.payments.PaymentsService;
import io.backbone.registry.RegistryClientConfig;
import io.backbone.registry.RegistryMisconfiguredException;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.WireFormat;
import io.backbone.topology.dedup.DedupMode;
import io.backbone.topology.metrics.ProductMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Hostile or misconfigured surroundings never dead-letter good data, stop the backbone or reach a product. */
@ParameterizedClass(name = "dedup {0}")
@EnumSource(
        value = DedupMode.class,
        names = {"CHANGELOG", "PRODUCT_TOPIC"})
class FailSafeTopologyTest extends TopologyTestSupport {
    static final String ORDERS_PRODUCT = "orders.product.orders.v1";
    static final String SALES_PRODUCT = "sales.product.paid-orders.v1";
    static final String SALES_DLQ = "sales.dlq.paid-orders";

    static OrderEvent order(String id, long seed) {
        return OrdersService.place(id, "cus-000001", new Random(seed), NOW);
    }

    static PaymentEvent paymentFor(OrderEvent order) {
        return PaymentsService.pay(
                order.getOrderId(), order.getTotalAmountMinor(), order.getCurrency(), new Random(1), NOW);
    }

    double metric(String name, String product) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name)
                        && product.equals(e.getKey().tags().get(ProductMetrics.TAG)))
                .mapToDouble(e -> (Double) e.getValue().metricValue())
                .sum();
    }

    @Test
    void forgedReservedHeadersAreDroppedFromProductAndDlqRecordsAndOtherHeadersPassThrough() {
        OrderEvent valid = order("ord-00000001", 1);
        OrderEvent invalid = OrdersService.spoil(
                        order("ord-00000002", 2), io.backbone.producer.faults.Fault.NEGATIVE_AMOUNT)
                .event();
        for (OrderEvent e : List.of(valid, invalid)) {
            TestRecord<String, byte[]> in = new TestRecord<>(e.getOrderId(), encode(OrdersService.TOPIC, e));
            in.headers().add("ce_id", e.getEventId().getBytes(StandardCharsets.UTF_8));
            in.headers().add("backbone.warnings", "[{\"rule\":\"forged\"}]".getBytes(StandardCharsets.UTF_8));
            in.headers().add("backbone.contract.id", "forged".getBytes(StandardCharsets.UTF_8));
            in.headers().add("backbone.stage", "forged".getBytes(StandardCharsets.UTF_8));
            in.headers().add("__streams.errors.exception", "forged".getBytes(StandardCharsets.UTF_8));
            raw(OrdersService.TOPIC).pipeInput(in);
        }

        TestRecord<String, byte[]> product = out(ORDERS_PRODUCT).readRecord();
        // major 1 is deprecated: its records say so, with headers only the backbone writes
        assertThat(product.headers().toArray())
                .extracting(Header::key)
                .containsExactly("ce_id", DeadLetter.DEPRECATION, DeadLetter.SUNSET);
        assertThat(out("orders.product.orders.v2").readRecord().headers().toArray())
                .extracting(Header::key)
                .containsExactly("ce_id");
        TestRecord<String, byte[]> dead = out("orders.dlq.order-events").readRecord();
        assertThat(DeadLetter.text(dead.headers(), "ce_id")).isEqualTo(invalid.getEventId());
        for (Header h : dead.headers()) {
            assertThat(new String(h.value(), StandardCharsets.UTF_8))
                    .as(h.key())
                    .isNotEqualTo("forged");
        }
        assertThat(dead.headers().headers("backbone.stage")).hasSize(1);
        assertThat(dead.headers().lastHeader("backbone.warnings")).isNull();
    }

    @Test
    void aDeadLetterIsStampedWithTheTimeOfFailureAndKeepsTheEventsOwnTimeAndTheInstance() {
        OrderEvent invalid = OrdersService.spoil(
                        order("ord-00000003", 3), io.backbone.producer.faults.Fault.NEGATIVE_AMOUNT)
                .event();
        java.time.Instant eightDaysAgo = NOW.minus(Duration.ofDays(8));

        raw(OrdersService.TOPIC).pipeInput(invalid.getOrderId(), encode(OrdersService.TOPIC, invalid), eightDaysAgo);

        TestRecord<String, byte[]> dead = out("orders.dlq.order-events").readRecord();
        assertThat(dead.timestamp()).isEqualTo(NOW.plusSeconds(60).toEpochMilli());
        assertThat(DeadLetter.text(dead.headers(), DeadLetter.ORIGINAL_TIMESTAMP))
                .isEqualTo(String.valueOf(eightDaysAgo.toEpochMilli()));
        assertThat(DeadLetter.text(dead.headers(), DeadLetter.INSTANCE)).startsWith("backbone-test@");
    }

    @Test
    void anEventWhoseFirstSendFailedToEncodeIsPublishedWhenSentAgain() {
        // the product subject holds a schema the product's cannot follow: registering it fails, the record cannot be
        // encoded
        Schema other = SchemaBuilder.record("Other").fields().requiredInt("x").endRecord();
        client.register(ORDERS_PRODUCT + "-value", other);
        OrderEvent order = order("ord-00000004", 4);
        byte[] bytes = encode(OrdersService.TOPIC, order);

        raw(OrdersService.TOPIC).pipeInput(order.getOrderId(), bytes);
        TestRecord<String, byte[]> dead = out("orders.dlq.order-events").readRecord();
        assertThat(DeadLetter.text(dead.headers(), DeadLetter.STAGE)).isEqualTo("serialize");

        client.setCompatibility(ORDERS_PRODUCT + "-value", "NONE");
        raw(OrdersService.TOPIC).pipeInput(order.getOrderId(), bytes);

        assertThat(out(ORDERS_PRODUCT).readRecordsToList()).hasSize(1);
        assertThat(metric("duplicate-total", "orders")).isZero();
    }

    @Test
    void aForeignRecordInAProductTopicThatAJoinReadsIsSkippedCountedAndTheJoinGoesOn() {
        OrderEvent order = order("ord-00000005", 5);
        TestInputTopic<String, byte[]> ordersProduct = raw(ORDERS_PRODUCT);

        ordersProduct.pipeInput("ord-00000005", "garbage".getBytes(StandardCharsets.UTF_8), NOW);
        ordersProduct.pipeInput("ord-00000006", new byte[] {0, 0, 0, 0x7f, 1, 2}, NOW);
        raw(OrdersService.TOPIC).pipeInput(order.getOrderId(), encode(OrdersService.TOPIC, order), NOW);
        raw(PaymentsService.TOPIC).pipeInput(order.getOrderId(), encode(PaymentsService.TOPIC, paymentFor(order)), NOW);

        assertThat(out(SALES_PRODUCT).readRecordsToList()).hasSize(1);
        assertThat(out(SALES_DLQ).isEmpty()).isTrue();
        assertThat(metric("foreign-total", "paid-orders")).isEqualTo(2.0);
    }

    @Test
    void aDecodableValueThatIsNotARecordInAJoinInputIsForeignToo() {
        int stringSchema = client.register(ORDERS_PRODUCT + "-value-other", Schema.create(Schema.Type.STRING));
        byte[] notARecord = ByteBuffer.allocate(WireFormat.HEADER_SIZE + 2)
                .put(WireFormat.MAGIC_BYTE)
                .putInt(stringSchema)
                .put((byte) 2)
                .put((byte) 'x')
                .array();
        OrderEvent order = order("ord-00000007", 7);

        raw(ORDERS_PRODUCT).pipeInput("ord-00000007", notARecord, NOW);
        raw(OrdersService.TOPIC).pipeInput(order.getOrderId(), encode(OrdersService.TOPIC, order), NOW);
        raw(PaymentsService.TOPIC).pipeInput(order.getOrderId(), encode(PaymentsService.TOPIC, paymentFor(order)), NOW);

        assertThat(out(SALES_PRODUCT).readRecordsToList()).hasSize(1);
        assertThat(metric("foreign-total", "paid-orders")).isEqualTo(1.0);
    }

    @Test
    void aRegistryThatRefusesUsFailsTheTaskAndDeadLettersNothing() {
        EmbeddedSchemaRegistry secured =
                EmbeddedSchemaRegistry.builder().basicAuth("svc:right").start();
        try (RestSchemaRegistryClient writer = new RestSchemaRegistryClient(Map.of(
                        RegistryClientConfig.SCHEMA_REGISTRY_URL, secured.url(),
                        RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                        RegistryClientConfig.BASIC_AUTH_USER_INFO, "svc:right"));
                RestSchemaRegistryClient wrongPassword = new RestSchemaRegistryClient(Map.of(
                        RegistryClientConfig.SCHEMA_REGISTRY_URL, secured.url(),
                        RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                        RegistryClientConfig.BASIC_AUTH_USER_INFO, "svc:expired"));
                TopologyTestDriver refused = new TopologyTestDriver(
                        BackboneTopology.topology(products(), wrongPassword, masker, dedup, this::history),
                        driverProperties("backbone-refused-test"))) {
            OrderEvent order = order("ord-00000008", 8);
            io.backbone.serde.ConfluentAvroSerializer<OrderEvent> s =
                    new io.backbone.serde.ConfluentAvroSerializer<>(writer);
            s.configure(Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, secured.url()), false);
            byte[] bytes = s.serialize(OrdersService.TOPIC, order);
            TestInputTopic<String, byte[]> in = refused.createInputTopic(
                    OrdersService.TOPIC,
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());

            assertThatThrownBy(() -> in.pipeInput(order.getOrderId(), bytes))
                    .hasRootCauseInstanceOf(RegistryMisconfiguredException.class)
                    .rootCause()
                    .hasMessageContaining("HTTP 401");
            assertThat(refused.createOutputTopic(
                                    "orders.dlq.order-events",
                                    new org.apache.kafka.common.serialization.StringDeserializer(),
                                    new org.apache.kafka.common.serialization.ByteArrayDeserializer())
                            .isEmpty())
                    .isTrue();
        } finally {
            secured.close();
        }
    }

    @Test
    void aRestartedTaskRebuildsItsSeenIdsPastAForeignRecordInItsProductTopic() {
        assumeTrue(dedup == DedupMode.PRODUCT_TOPIC, "only this mode restores from the product topic");
        OrderEvent order = order("ord-00000009", 9);
        byte[] bytes = encode(OrdersService.TOPIC, order);
        raw(OrdersService.TOPIC).pipeInput(order.getOrderId(), bytes, NOW);
        TestRecord<String, byte[]> published = out(ORDERS_PRODUCT).readRecord();
        long ts = published.timestamp();
        productHistory.add(new ConsumerRecord<>(
                ORDERS_PRODUCT,
                0,
                0,
                ts,
                TimestampType.CREATE_TIME,
                0,
                0,
                "x".getBytes(StandardCharsets.UTF_8),
                "garbage".getBytes(StandardCharsets.UTF_8),
                new RecordHeaders(),
                java.util.Optional.empty()));
        productHistory.add(new ConsumerRecord<>(
                ORDERS_PRODUCT,
                0,
                1,
                ts,
                TimestampType.CREATE_TIME,
                0,
                0,
                published.key().getBytes(StandardCharsets.UTF_8),
                published.value(),
                new RecordHeaders(),
                java.util.Optional.empty()));
        driver.close();

        driver = newDriver("backbone-test");
        raw(OrdersService.TOPIC).pipeInput(order.getOrderId(), bytes, NOW.plusSeconds(1));

        assertThat(out(ORDERS_PRODUCT).isEmpty()).isTrue();
        assertThat(metric("duplicate-total", "orders")).isEqualTo(1.0);
        assertThat(metric("foreign-total", "orders")).isEqualTo(1.0);
    }
}
