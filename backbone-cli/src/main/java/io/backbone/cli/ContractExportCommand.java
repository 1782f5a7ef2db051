package io.backbone.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.contract.CompiledContract;
import io.backbone.contract.export.ConfluentContract;
import io.backbone.product.ProductCatalog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Prints a contract as the Confluent data contract provision registers with its schema. */
@Command(
        name = "export",
        description = "Print a contract as the Confluent data contract (metadata and ruleSet) that 'backbone provision'"
                + " registers with a raw stream's schema, for Confluent's serializers in any language; rules only the"
                + " backbone can evaluate are listed on stderr.")
final class ContractExportCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "CONTRACT", description = "A contract id, e.g. orders.raw.order-events.")
    String contractId;

    @Override
    public Integer call() throws Exception {
        ProductCatalog catalog = cluster.loadCatalog();
        CompiledContract contract = catalog.contracts().get(contractId);
        if (contract == null) {
            throw new UsageException("no contract '" + contractId + "' in the catalog; its contracts: "
                    + new java.util.TreeSet<>(catalog.contracts().keySet()));
        }
        ConfluentContract exported = ConfluentContract.of(contract);
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.set("metadata", exported.metadata());
        out.set("ruleSet", exported.ruleSet());
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        for (ConfluentContract.Skipped s : exported.skipped()) {
            System.err.println("contract export: rule '" + s.rule() + "' stays with the backbone: " + s.reason());
        }
        return 0;
    }
}
