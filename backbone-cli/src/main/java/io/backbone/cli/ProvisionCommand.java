package io.backbone.cli;

import io.backbone.console.Table;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.topology.Provisioner;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Creates the products' topics and registers their schemas. */
@Command(
        name = "provision",
        description = "Create raw, product and DLQ topics and register the schemas of every product (idempotent).")
final class ProvisionCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(
            names = "--partitions",
            defaultValue = "4",
            description = "Partitions of new topics (default ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() {
        if (partitions < 1) {
            throw new UsageException("--partitions " + partitions + ": give at least 1");
        }
        ProductCatalog catalog = cluster.loadCatalog();
        cluster.connect(true);
        try (Admin admin = cluster.settings().admin()) {
            Provisioner.Result r = new Provisioner(
                            admin,
                            new RestSchemaRegistryClient(cluster.settings().clientConfig()),
                            partitions)
                    .provision(catalog.products());
            Table t = new Table("what", "name", "state");
            r.createdTopics().forEach(n -> t.row("topic", n, "created"));
            r.existingTopics().forEach(n -> t.row("topic", n, "existed"));
            r.subjects().forEach((s, id) -> t.row("subject", s, "schema id " + id));
            System.out.print(t.render());
        }
        return 0;
    }
}
