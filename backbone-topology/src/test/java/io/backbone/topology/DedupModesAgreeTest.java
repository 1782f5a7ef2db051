package io.backbone.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.orders.v1.OrderEvent;
import io.backbone.producer.faults.Fault;
import io.backbone.producer.orders.OrdersService;
import io.backbone.topology.dedup.DedupMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The default dedup mode (restore from the product topic) and the changelog mode give the same product. */
class DedupModesAgreeTest {

    /** The product topic's records (key and event id) and the DLQ's size, for {@code sent} in {@code mode}. */
    static List<String> productOf(DedupMode mode, List<OrderEvent> sent) {
        TopologyTestSupport run = new TopologyTestSupport() {};
        run.dedup = mode;
        run.start();
        try {
            for (OrderEvent e : sent) {
                run.raw(OrdersService.TOPIC).pipeInput(e.getOrderId(), run.encode(OrdersService.TOPIC, e));
            }
            List<String> out = new ArrayList<>();
            for (TestRecord<String, byte[]> r :
                    run.out("orders.product.orders.v1").readRecordsToList()) {
                out.add(r.key() + "/" + run.decode(r.value(), OrderEvent.class).getEventId());
            }
            out.add("dlq=" + run.out("orders.dlq.order-events").getQueueSize());
            return out;
        } finally {
            run.stop();
        }
    }

    @Test
    void bothDedupModesGiveTheSameProductForTheSameInput() {
        Random rnd = new Random(11);
        List<OrderEvent> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            OrderEvent e =
                    OrdersService.place(String.format("ord-%08d", i), "cus-000001", rnd, TopologyTestSupport.NOW);
            if (i % 7 == 0) {
                e = OrdersService.spoil(e, Fault.NEGATIVE_AMOUNT).event();
            }
            sent.add(e);
            if (i % 5 == 0) {
                sent.add(e); // a duplicate: dropped if valid, dead-lettered again if not
            }
        }

        List<String> changelog = productOf(DedupMode.CHANGELOG, sent);
        List<String> productTopic = productOf(DedupMode.PRODUCT_TOPIC, sent);

        assertThat(productTopic).isEqualTo(changelog);
        // 200 events, 29 spoiled (6 of them sent twice): 171 distinct valid events, 35 dead letters
        assertThat(changelog).hasSize(171 + 1).doesNotHaveDuplicates().last().isEqualTo("dlq=70") /* 35 per major */;
    }
}
