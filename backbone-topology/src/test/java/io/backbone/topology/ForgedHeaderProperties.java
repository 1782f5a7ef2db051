package io.backbone.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.dlq.DeadLetter;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.producer.faults.Fault;
import io.backbone.producer.orders.OrdersService;
import io.backbone.topology.dedup.DedupMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;

/** Whatever headers a producer sends, no product or DLQ record carries a reserved header the backbone did not set. */
class ForgedHeaderProperties {
    static final String FORGED = "forged-by-a-producer";
    static TopologyTestSupport run;
    static long sequence;

    @BeforeContainer
    static void start() {
        run = new TopologyTestSupport() {};
        run.dedup = DedupMode.PRODUCT_TOPIC;
        run.start();
    }

    @AfterContainer
    static void stop() {
        run.stop();
    }

    @Provide
    Arbitrary<List<String>> headerKeys() {
        Arbitrary<String> reserved = Arbitraries.of(
                DeadLetter.WARNINGS,
                DeadLetter.STAGE,
                DeadLetter.RULE,
                DeadLetter.CONTRACT_ID,
                DeadLetter.VIOLATIONS,
                DeadLetter.EXCEPTION,
                DeadLetter.STACKTRACE,
                DeadLetter.ORIGINAL_TIMESTAMP,
                "backbone.anything",
                "__streams.errors.anything");
        Arbitrary<String> other = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12);
        return Arbitraries.frequencyOf(List.of(net.jqwik.api.Tuple.of(3, reserved), net.jqwik.api.Tuple.of(1, other)))
                .list()
                .ofMaxSize(6);
    }

    @Property(tries = 150)
    void noForgedReservedHeaderReachesAProductOrDlqRecord(
            @ForAll("headerKeys") List<String> keys, @ForAll boolean spoil) {
        OrderEvent order = OrdersService.place(
                String.format("ord-%08d", ++sequence), "cus-000001", new Random(sequence), TopologyTestSupport.NOW);
        if (spoil) {
            order = OrdersService.spoil(order, Fault.NEGATIVE_AMOUNT).event();
        }
        TestRecord<String, byte[]> in = new TestRecord<>(order.getOrderId(), run.encode(OrdersService.TOPIC, order));
        keys.forEach(k -> in.headers().add(k, FORGED.getBytes(StandardCharsets.UTF_8)));

        run.raw(OrdersService.TOPIC).pipeInput(in);

        List<TestRecord<String, byte[]>> written = new java.util.ArrayList<>();
        written.addAll(run.out("orders.product.orders.v1").readRecordsToList());
        written.addAll(run.out("orders.dlq.order-events").readRecordsToList());
        assertThat(written).hasSize(1);
        for (Header h : written.get(0).headers()) {
            if (DeadLetter.isReserved(h.key())) {
                assertThat(new String(h.value(), StandardCharsets.UTF_8))
                        .as(h.key())
                        .isNotEqualTo(FORGED);
            } else {
                assertThat(keys).contains(h.key());
            }
        }
    }
}
