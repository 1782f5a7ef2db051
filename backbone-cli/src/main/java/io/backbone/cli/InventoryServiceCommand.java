package io.backbone.cli;

import io.backbone.console.ProgressLine;
import io.backbone.producer.inventory.InventoryService;
import java.sql.Connection;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The inventory domain's service: changes stock rows in its PostgreSQL database at a steady rate. */
@Command(
        name = "inventory-service",
        description = "Run the inventory domain's service: insert, update and delete rows of inventory.stock in its"
                + " PostgreSQL database at a steady rate (the capture, 'backbone cdc', takes the changes in).")
final class InventoryServiceCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Option(names = "--rate", defaultValue = "5", description = "Changes per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--changes",
            defaultValue = "0",
            description = "Stop after this many changes (default ${DEFAULT-VALUE}: until Ctrl-C).")
    long changes;

    @Option(
            names = "--invalid-ratio",
            defaultValue = "0",
            description = "Share of updates that break the contract (negative stock, an unknown currency), 0..1.")
    double invalidRatio;

    @Option(names = "--rows", defaultValue = "200", description = "About how many rows the table grows to.")
    int rows;

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
        try (Connection db = database.connect()) {
            InventoryService service =
                    new InventoryService(db, seed == null ? new Random() : new Random(seed), invalidRatio, rows);
            long done = 0;
            long invalid = 0;
            while (!stop.get() && (changes == 0 || done < changes)) {
                InventoryService.Change c = service.next();
                done++;
                invalid += c.valid() ? 0 : 1;
                if (done % 10 == 0) {
                    progress.show("inventory-service: " + done + " changes (" + invalid + " breaking the contract), "
                            + service.rows() + " rows");
                }
                pace.next();
            }
            progress.done("inventory-service: " + done + " changes (" + invalid + " breaking the contract), "
                    + service.rows() + " rows in " + InventoryService.TABLE);
        }
        return 0;
    }
}
