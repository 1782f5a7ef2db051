package io.backbone.cli;

import io.backbone.console.ProgressLine;
import io.backbone.console.Table;
import io.backbone.producer.faults.Fault;
import io.backbone.producer.simulation.Ledger;
import io.backbone.producer.simulation.LedgerEntry;
import io.backbone.producer.simulation.ShopSimulator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs one domain service's traffic simulator against a cluster. */
@Command(
        name = "produce",
        description =
                "Run a domain service (orders, payments or customers) emitting a realistic stream, with optional bad events.")
final class ProduceCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "DOMAIN", description = "orders, payments, customers, or all")
    String domain;

    @Option(names = "--events", defaultValue = "1000", description = "Events to send (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--rate", defaultValue = "0", description = "Events per second; 0 = as fast as possible.")
    double rate;

    @Option(
            names = "--invalid-ratio",
            defaultValue = "0",
            description = "Fraction of spoiled events, 0..1 (default ${DEFAULT-VALUE}).")
    double invalidRatio;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulation.")
    long seed;

    @Override
    public Integer call() {
        Set<String> domains = "all".equals(domain) ? Set.of("orders", "payments", "customers") : Set.of(domain);
        ShopSimulator.Plan plan;
        try {
            plan = new ShopSimulator.Plan(events, invalidRatio, rate, seed, domains);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        cluster.connect(true);
        ProgressLine progress = new ProgressLine(System.err);
        Ledger ledger;
        try (ShopSimulator simulator = new ShopSimulator(cluster.settings())) {
            ledger = simulator.run(plan, (sent, total) -> progress.show("Producing " + ProgressLine.bar(sent, total)));
        }
        progress.done("Produced " + ledger.entries().size() + " events");
        Map<String, Map<Fault, Long>> byTopic = ledger.entries().stream()
                .collect(Collectors.groupingBy(
                        LedgerEntry::topic,
                        TreeMap::new,
                        Collectors.groupingBy(LedgerEntry::fault, TreeMap::new, Collectors.counting())));
        Table t = new Table("topic", "fault", "events");
        byTopic.forEach((topic, faults) -> faults.forEach((f, n) -> t.row(topic, f.code(), n)));
        System.out.print(t.render());
        if (ledger.sendFailures() > 0) {
            System.err.println(ledger.sendFailures() + " sends failed after the producer's retries");
            return 1;
        }
        return 0;
    }
}
