package io.backbone.cli;

import io.backbone.console.Table;
import io.backbone.consumer.sales.SalesView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Queries the sales view: reads the orders and payments products and prints revenue per currency per hour. */
@Command(name = "sales", description = "Read the orders and payments products and print revenue per currency per hour.")
final class SalesCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(
            names = "--group",
            defaultValue = "sales-view",
            description = "Consumer group prefix: the view reads as <prefix>-orders and <prefix>-payments, rebuilds"
                    + " itself from the beginning and commits as it reads (default ${DEFAULT-VALUE}).")
    String group;

    @Option(
            names = "--watch",
            paramLabel = "SECONDS",
            defaultValue = "0",
            description = "Keep consuming and reprint the view every SECONDS (default: print once and exit).")
    int watch;

    @Override
    public Integer call() {
        if (watch < 0) {
            throw new UsageException("--watch " + watch + ": give a number of seconds >= 1, or leave it out");
        }
        cluster.connect(true);
        try (SalesView view = new SalesView(cluster.settings().clientConfig(), cluster.loadCatalog(), group)) {
            boolean complete = view.catchUp(Duration.ofSeconds(60));
            print(view, complete);
            while (watch > 0) {
                long until = System.nanoTime() + watch * 1_000_000_000L;
                while (System.nanoTime() < until) {
                    view.pollOnce(Duration.ofMillis(500));
                }
                print(view, true);
            }
            return complete ? 0 : 1;
        }
    }

    private static void print(SalesView view, boolean complete) {
        System.out.print(table(view.rows()));
        System.out.println(view.ordersRead() + " orders and " + view.paymentsRead() + " payments read"
                + (complete ? "" : " (not caught up within 60 s)"));
    }

    /** The sales view as a table; revenue in major units. */
    static String table(List<SalesView.Row> rows) {
        Table t = new Table("hour (UTC)", "currency", "orders placed", "cancelled", "payments", "refunds", "revenue");
        rows.forEach(r -> t.row(
                r.hour().toString().substring(0, 13) + "h",
                r.currency(),
                r.ordersPlaced(),
                r.ordersCancelled(),
                r.payments(),
                r.refunds(),
                String.format("%.2f", r.revenueMinor() / 100.0)));
        return t.render();
    }
}
