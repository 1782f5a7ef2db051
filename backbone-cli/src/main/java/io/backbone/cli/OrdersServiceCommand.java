package io.backbone.cli;

import io.backbone.console.ProgressLine;
import io.backbone.contract.ContractViolationException;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.producer.orders.OrderBook;
import io.backbone.producer.orders.OrdersService;
import io.backbone.producer.outbox.OutboxPublisher;
import io.backbone.producer.publish.ContractCheck;
import java.sql.Connection;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The orders service on its own database: each order and its event commit together, through the outbox. */
@Command(
        name = "orders-service",
        description = "Run the orders service on PostgreSQL with a transactional outbox: each order row and its event"
                + " commit in one transaction ('backbone cdc --outbox orders.outbox --domain orders' relays the"
                + " events). An event that breaks its contract fails its transaction.")
final class OrdersServiceCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--rate", defaultValue = "5", description = "Orders per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--orders",
            defaultValue = "0",
            description = "Stop after this many orders (default ${DEFAULT-VALUE}: until Ctrl-C).")
    long orders;

    @Option(
            names = "--invalid-ratio",
            defaultValue = "0",
            description = "Share of orders whose total does not match their lines (refused by the contract), 0..1.")
    double invalidRatio;

    @Option(names = "--seed", description = "Random seed, for a repeatable run.")
    Long seed;

    @Override
    public Integer call() throws Exception {
        if (invalidRatio < 0 || invalidRatio > 1) {
            throw new UsageException("--invalid-ratio must be between 0 and 1, was " + invalidRatio);
        }
        Pace pace = new Pace(rate);
        AtomicBoolean stop = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
        ProgressLine progress = new ProgressLine(System.err);
        Random random = seed == null ? new Random() : new Random(seed);
        try (Connection db = database.connect();
                OutboxPublisher outbox = new OutboxPublisher(
                        OrderBook.OUTBOX,
                        OrdersService.SOURCE,
                        cluster.settings(),
                        new ContractCheck(cluster.loadCatalog(), ContractCheck.Mode.REJECT))) {
            OrderBook book = new OrderBook(db, outbox);
            long committed = 0;
            long refused = 0;
            for (long n = 0; !stop.get() && (orders == 0 || n < orders); n++) {
                OrderEvent e = OrdersService.place(
                        String.format("ord-%08d", random.nextInt(100_000_000)),
                        String.format("cus-%06d", random.nextInt(1_000_000)),
                        random,
                        Instant.now());
                if (random.nextDouble() < invalidRatio) {
                    e.setTotalAmountMinor(e.getTotalAmountMinor() + 1);
                }
                try {
                    book.record(e, true);
                    committed++;
                } catch (ContractViolationException refusedByContract) {
                    refused++;
                }
                if ((committed + refused) % 10 == 0) {
                    progress.show("orders-service: " + committed + " orders committed with their events, " + refused
                            + " refused by the contract (rolled back)");
                }
                pace.next();
            }
            progress.done("orders-service: " + committed + " orders committed with their events, " + refused
                    + " refused by the contract (rolled back)");
        }
        return 0;
    }
}
