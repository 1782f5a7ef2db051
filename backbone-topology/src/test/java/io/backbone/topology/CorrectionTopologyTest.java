package io.backbone.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.customers.v1.CustomerEvent;
import io.backbone.dlq.DeadLetter;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.producer.customers.CustomersService;
import io.backbone.producer.orders.OrdersService;
import io.backbone.topology.dedup.DedupMode;
import io.backbone.topology.metrics.ProductMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shipped contracts' corrections through the real topology: decode → normalise → check rules → dedup → mask →
 * encode, so that rules, deduplication and pseudonyms see canonical values; a corrected record says which properties
 * were corrected, and a value no correction makes valid is dead-lettered with its original bytes.
 */
@ParameterizedClass(name = "dedup {0}")
@EnumSource(
        value = DedupMode.class,
        names = {"CHANGELOG", "PRODUCT_TOPIC"})
class CorrectionTopologyTest extends TopologyTestSupport {
    static final String CUSTOMERS = "customers.product.customers.v1";

    CustomerEvent customer(String id) {
        return CustomersService.register(id, new Random(3), NOW);
    }

    TestRecord<String, byte[]> send(CustomerEvent c) {
        raw(CustomersService.TOPIC).pipeInput(c.getCustomerId(), encode(CustomersService.TOPIC, c));
        List<TestRecord<String, byte[]>> out = out(CUSTOMERS).readRecordsToList();
        assertThat(out).as("published: " + c).hasSize(1);
        return out.get(0);
    }

    static String header(TestRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void twoEventsOfOneCustomerWhoseEmailsDifferOnlyInCaseGiveOnePseudonym() {
        CustomerEvent clean = customer("cus-000001");
        CustomerEvent shouting = CustomerEvent.newBuilder(clean)
                .setEventId(UUID.randomUUID().toString())
                .setEmail(" " + clean.getEmail().toUpperCase() + " ")
                .build();

        TestRecord<String, byte[]> first = send(clean);
        TestRecord<String, byte[]> second = send(shouting);

        CustomerEvent a = decode(first.value(), CustomerEvent.class);
        CustomerEvent b = decode(second.value(), CustomerEvent.class);
        assertThat(b.getEmail()).isEqualTo(a.getEmail()).isEqualTo(masker.hash(clean.getEmail()));
        assertThat(header(first, DeadLetter.CORRECTED)).as("nothing to correct").isNull();
        assertThat(header(second, DeadLetter.CORRECTED)).isEqualTo("email");
        assertThat(metric("email")).isEqualTo(1.0);
    }

    @Test
    void aCountryWithSpacesInLowerCasePassesUpperCasedAndANationalPhoneBecomesE164() {
        CustomerEvent c = CustomerEvent.newBuilder(customer("cus-000002"))
                .setPhone("030 1234567")
                .build();
        c.getAddress().setCountry(" de ");

        TestRecord<String, byte[]> r = send(c);

        CustomerEvent published = decode(r.value(), CustomerEvent.class);
        assertThat(published.getAddress().getCountry()).isEqualTo("DE");
        // the phone is dropped from the product (masking drop); that the record passed the raw contract's E.164
        // pattern at all is the correction's doing, and the header says so
        assertThat(published.getPhone()).isNull();
        // the raw contract's corrections first, then the product contract's
        assertThat(header(r, DeadLetter.CORRECTED)).isEqualTo("phone,address.country");
        assertThat(metric("address.country")).isEqualTo(1.0);
        assertThat(metric("phone")).isEqualTo(1.0);
    }

    @Test
    void deduplicationSeesTheCorrectedEventId() {
        CustomerEvent c = customer("cus-000004");
        CustomerEvent retried = CustomerEvent.newBuilder(c)
                .setEventId(c.getEventId().toUpperCase())
                .build();

        send(c);
        raw(CustomersService.TOPIC).pipeInput(retried.getCustomerId(), encode(CustomersService.TOPIC, retried));

        assertThat(out(CUSTOMERS).isEmpty())
                .as("the retry is a duplicate once its id is lower-cased")
                .isTrue();
        assertThat(out("customers.dlq.customer-events").isEmpty()).isTrue();
    }

    @Test
    void aValueNoCorrectionMakesValidIsDeadLetteredWithItsOriginalBytes() {
        CustomerEvent c = customer("cus-000003");
        c.getAddress().setCountry(" xx ");
        byte[] original = encode(CustomersService.TOPIC, c);

        raw(CustomersService.TOPIC).pipeInput(c.getCustomerId(), original);

        assertThat(out(CUSTOMERS).isEmpty()).isTrue();
        TestRecord<String, byte[]> dead = out("customers.dlq.customer-events").readRecord();
        assertThat(dead.value()).isEqualTo(original);
        assertThat(header(dead, DeadLetter.RULE)).isEqualTo("address.country.invalidValues");
        assertThat(header(dead, DeadLetter.CORRECTED)).isNull();
        assertThat(metric("address.country"))
                .as("only published corrections count")
                .isZero();
    }

    @Test
    void rulesSeeTheCorrectedValueAndAForgedCorrectedHeaderIsDropped() {
        OrderEvent order = OrdersService.place("ord-00000001", "cus-000001", new Random(7), NOW);
        order.setCurrency("eur");
        raw(OrdersService.TOPIC)
                .pipeInput(new TestRecord<>(
                        order.getOrderId(),
                        encode(OrdersService.TOPIC, order),
                        new org.apache.kafka.common.header.internals.RecordHeaders()
                                .add(DeadLetter.CORRECTED, "customerId".getBytes(StandardCharsets.UTF_8)),
                        NOW));

        TestRecord<String, byte[]> r = out("orders.product.orders.v1").readRecord();
        assertThat(decode(r.value(), OrderEvent.class).getCurrency()).isEqualTo("EUR");
        assertThat(r.headers().headers(DeadLetter.CORRECTED))
                .extracting(h -> new String(h.value(), StandardCharsets.UTF_8))
                .containsExactly("currency");
    }

    double metric(String property) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(ProductMetrics.CORRECTION_GROUP)
                        && e.getKey().name().equals("corrected-total")
                        && ("customers/" + property).equals(e.getKey().tags().get(ProductMetrics.CORRECTION_TAG)))
                .mapToDouble(e -> (Double) e.getValue().metricValue())
                .sum();
    }
}
