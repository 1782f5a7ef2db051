package io.backbone.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.provisioning.CatalogPublisher;
import io.backbone.provisioning.Planner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Makes the cluster match the catalog: the plan, executed. */
@Command(
        name = "apply",
        description =
                "Make topics, subjects and ACLs match the catalog (what 'backbone plan' prints), then publish the "
                        + "catalog to _backbone.catalog. Idempotent. Deletes nothing unless --allow-delete.")
final class ApplyCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    PlanOptions options;

    @Option(names = "--allow-delete", description = "Also delete topics and ACLs the catalog no longer declares.")
    boolean allowDelete;

    @Option(names = "--json", description = "Print what was done as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return options.withPlan(cluster, (catalog, planner, plan) -> {
            Planner.Applied applied = planner.apply(plan, allowDelete);
            CatalogPublisher.Result published =
                    new CatalogPublisher(cluster.settings().kafkaConfig()).publish(catalog.products());
            if (json) {
                ObjectNode out = plan.json();
                out.put("applied", applied.done().size())
                        .put("refused", applied.refused().size());
                out.putArray("catalogPublished")
                        .addAll(published.published().stream()
                                .map(s -> new ObjectMapper().getNodeFactory().textNode(s))
                                .toList());
                System.out.println(
                        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
            } else {
                applied.done().forEach(c -> System.out.println("done   " + c.line()));
                applied.refused().forEach(c -> System.out.println("kept   " + c.line() + "  (needs --allow-delete)"));
                System.out.println("Applied " + applied.done().size() + " change(s)"
                        + (applied.refused().isEmpty()
                                ? ""
                                : "; refused " + applied.refused().size() + " deletion(s) without --allow-delete")
                        + "; catalog: " + published.published().size() + " product(s) published, "
                        + published.unchanged().size() + " unchanged, "
                        + published.removed().size() + " removed.");
            }
            if (!applied.refused().isEmpty()) {
                System.err.println("apply: " + applied.refused().size()
                        + " deletion(s) refused; run again with --allow-delete to delete them");
                return 1;
            }
            return 0;
        });
    }
}
