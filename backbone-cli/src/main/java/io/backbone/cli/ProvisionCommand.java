package io.backbone.cli;

import io.backbone.console.Table;
import io.backbone.product.PlatformTopics;
import io.backbone.provisioning.CatalogPublisher;
import io.backbone.provisioning.Planner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** 'apply' without deletions, printed as a table: what the first run on a new cluster needs. */
@Command(
        name = "provision",
        description = "Create what the catalog needs and change what differs — topics, subjects and ACLs, as 'backbone "
                + "apply' does, never deleting — and publish the catalog to _backbone.catalog (idempotent).")
final class ProvisionCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    PlanOptions options;

    @Override
    public Integer call() throws Exception {
        return options.withPlan(cluster, (catalog, planner, plan) -> {
            Planner.Applied applied = planner.apply(plan, false);
            CatalogPublisher.Result published =
                    new CatalogPublisher(cluster.settings().kafkaConfig()).publish(catalog.products());
            Table t = new Table("what", "name", "state");
            for (Planner.Change c : applied.done()) {
                t.row(
                        c.kind(),
                        c.name(),
                        (c.action() == '+' ? "created" : "changed")
                                + (c.detail().isEmpty() ? "" : ": " + c.detail()));
            }
            for (Planner.Change c : applied.refused()) {
                t.row(c.kind(), c.name(), "kept (not in the catalog; 'backbone apply --allow-delete' deletes it)");
            }
            published.published().forEach(id -> t.row("product", id, "published to " + PlatformTopics.CATALOG));
            published.unchanged().forEach(id -> t.row("product", id, "unchanged in " + PlatformTopics.CATALOG));
            published.removed().forEach(id -> t.row("product", id, "removed (tombstone)"));
            System.out.print(t.render());
            if (plan.note() != null) {
                System.out.println(plan.note());
            }
            return 0;
        });
    }
}
