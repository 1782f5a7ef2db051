package io.backbone.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What apply would change: topics, subjects and ACLs against the catalog. */
@Command(
        name = "plan",
        description = "Compare the catalog (topics, subjects, and the ACLs its principals and products imply) with the "
                + "cluster and the registry, and print every difference: + create, ~ change, - delete. Exit 0 when "
                + "nothing differs, 2 when something does.")
final class PlanCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    PlanOptions options;

    @Option(names = "--json", description = "Print the plan as JSON (for CI).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return options.withPlan(cluster, (catalog, planner, plan) -> {
            System.out.print(
                    json
                            ? new ObjectMapper()
                                            .writerWithDefaultPrettyPrinter()
                                            .writeValueAsString(plan.json()) + "\n"
                            : plan.render());
            return plan.empty() ? 0 : 2;
        });
    }
}
