package io.backbone.cli;

import io.backbone.access.AccessModel;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.Planner;
import io.backbone.registry.RestSchemaRegistryClient;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Option;

/** What plan, apply and provision share: the partitions of new topics and the backbone's application id. */
final class PlanOptions {
    @Option(
            names = "--partitions",
            defaultValue = "4",
            description = "Partitions of new topics (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--app-id",
            defaultValue = "backbone",
            description = "The backbone's application id: its group, internal topics and transactional ids are granted "
                    + "by this prefix (default ${DEFAULT-VALUE}).")
    String appId;

    int partitions() {
        if (partitions < 1) {
            throw new UsageException("--partitions " + partitions + ": give at least 1");
        }
        return partitions;
    }

    /** What a command does with the plan of the catalog against the cluster. */
    interface Work<T> {
        T run(ProductCatalog catalog, Planner planner, Planner.Plan plan) throws Exception;
    }

    /**
     * Loads the catalog (refused if it breaks the governance policy) and its principals, checks the cluster and the
     * registry answer, and hands {@code work} a planner on them with the catalog's plan.
     */
    <T> T withPlan(ClusterOptions cluster, Work<T> work) throws Exception {
        ProductCatalog catalog = cluster.loadCatalog();
        AccessModel access = AccessModel.load(cluster.catalogSource());
        cluster.connect(true);
        try (Admin admin = cluster.settings().admin();
                RestSchemaRegistryClient registry =
                        new RestSchemaRegistryClient(cluster.settings().clientConfig())) {
            Planner planner = new Planner(admin, registry, partitions());
            return work.run(catalog, planner, planner.plan(catalog, access, appId));
        }
    }
}
