package io.backbone.cli;

import io.backbone.console.Table;
import io.backbone.product.PlatformTopics;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.topology.CatalogPublisher;
import io.backbone.topology.Provisioner;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Creates the products' topics and registers their schemas. */
@Command(
        name = "provision",
        description =
                "Create raw, product, DLQ and the backbone's own topics, register the schemas of every product and publish"
                        + " the catalog to _backbone.catalog (idempotent).")
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
            CatalogPublisher.Result published =
                    new CatalogPublisher(cluster.settings().kafkaConfig()).publish(catalog.products());
            Table t = new Table("what", "name", "state");
            r.createdTopics().forEach(n -> t.row("topic", n, "created"));
            r.existingTopics().forEach(n -> t.row("topic", n, "existed"));
            r.subjects().forEach((s, id) -> t.row("subject", s, "schema id " + id));
            published.published().forEach(id -> t.row("product", id, "published to " + PlatformTopics.CATALOG));
            published.unchanged().forEach(id -> t.row("product", id, "unchanged in " + PlatformTopics.CATALOG));
            published.removed().forEach(id -> t.row("product", id, "removed (tombstone)"));
            System.out.print(t.render());
        }
        return 0;
    }
}
