package io.backbone.cli;

import io.backbone.consumer.sales.SalesView;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Queries the sales view: reads the orders and payments products and prints revenue per currency per hour. */
@Command(name = "sales", description = "Read the orders and payments products and print revenue per currency per hour.")
final class SalesCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--group", defaultValue = "sales-view", description = "Consumer group prefix (default ${DEFAULT-VALUE}).")
    String group;

    @Override
    public Integer call() {
        try (SalesView view = new SalesView(cluster.settings().clientConfig(), cluster.loadCatalog(), group + "-" + System.currentTimeMillis())) {
            boolean complete = view.catchUp(Duration.ofSeconds(60));
            Table t = new Table("hour (UTC)", "currency", "orders placed", "cancelled", "payments", "refunds", "revenue");
            view.rows().forEach(r -> t.row(r.hour().toString().substring(0, 13) + "h", r.currency(), r.ordersPlaced(),
                    r.ordersCancelled(), r.payments(), r.refunds(), String.format("%.2f", r.revenueMinor() / 100.0)));
            System.out.print(t.render());
            System.out.println(view.ordersRead() + " orders and " + view.paymentsRead() + " payments read"
                    + (complete ? "" : " (not caught up within 60 s)"));
            return complete ? 0 : 1;
        }
    }
}
