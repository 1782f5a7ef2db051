package io.backbone.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbone.contract.Violation;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.producer.customers.CustomersService;
import io.backbone.producer.faults.Fault;
import io.backbone.producer.orders.OrdersService;
import io.backbone.producer.publish.ContractCheck;
import io.backbone.product.ProductCatalog;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Shift-left: the same compiled contracts the backbone runs, checked before an event leaves its service. */
class ContractCheckTest {
    static final ProductCatalog CATALOG = ProductCatalog.shipped();
    final Random rnd = new Random(5);

    @Test
    void aValidEventPassesEveryRuleOfItsTopic() {
        ContractCheck check = new ContractCheck(CATALOG, ContractCheck.Mode.REJECT);

        assertThat(check.check(OrdersService.TOPIC, OrdersService.place("ord-1", "cus-000001", rnd, Instant.now())))
                .isEmpty();
        assertThat(check.check(CustomersService.TOPIC, CustomersService.register("cus-000001", rnd, Instant.now())))
                .isEmpty();
    }

    @Test
    void everySpoilingIsCaughtBeforeSendingWithTheBackbonesRuleNames() {
        ContractCheck check = new ContractCheck(CATALOG, ContractCheck.Mode.WARN);
        OrderEvent order = OrdersService.place("ord-1", "cus-000001", rnd, Instant.now());

        for (Fault f : OrdersService.CONTRACT_FAULTS) {
            var spoiled = OrdersService.spoil(order, f);
            assertThat(check.check(OrdersService.TOPIC, spoiled.event()))
                    .extracting(Violation::rule)
                    .as(f.code())
                    .contains(spoiled.expectedRule());
        }
    }

    @Test
    void logicalTypesOfGeneratedClassesAreSeenAsTheirWireValues() {
        ContractCheck check = new ContractCheck(CATALOG, ContractCheck.Mode.WARN);
        OrderEvent future = OrderEvent.newBuilder(OrdersService.place("ord-1", "cus-000001", rnd, Instant.now()))
                .setOccurredAt(Instant.now().plusSeconds(3600))
                .build();

        assertThat(check.check(OrdersService.TOPIC, future))
                .extracting(Violation::rule)
                .containsExactly("not-from-the-future");
    }

    @Test
    void offChecksNothingAndModesParse() {
        assertThat(ContractCheck.off()
                        .check(
                                OrdersService.TOPIC,
                                OrdersService.spoil(
                                                OrdersService.place("ord-1", "cus-000001", rnd, Instant.now()),
                                                Fault.NEGATIVE_AMOUNT)
                                        .event()))
                .isEmpty();
        assertThat(ContractCheck.Mode.parse("Reject")).isEqualTo(ContractCheck.Mode.REJECT);
        assertThatThrownBy(() -> ContractCheck.Mode.parse("strict")).hasMessageContaining("use off, warn or reject");
    }
}
