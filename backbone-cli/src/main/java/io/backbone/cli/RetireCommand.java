package io.backbone.cli;

import io.backbone.console.Table;
import io.backbone.governance.GovernancePolicy;
import io.backbone.kafka.ClientSettings;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.Retirement;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroSerdeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Deletes a retired major's topic and ACLs, and soft-deletes its registry subject, once no consumer group reads it. */
@Command(
        name = "retire",
        description = "Delete the topic and ACLs of a product major whose contract is retired (status: retired), and "
                + "soft-delete its registry subject, once nobody reads it: refused while a consumer group is connected to the topic or has read from it within "
                + "the policy's retirementQuietDays (7 in the shipped policy), naming the groups. Without --yes, only "
                + "says what would be deleted and who stops it.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:deleted (with --yes), or nothing stops it",
            "1:refused: a consumer group still reads the topic",
            "2:bad flag, or the topic is no retired major of the catalog"
        })
final class RetireCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "TOPIC", description = "The retired major's product topic, e.g. orders.product.orders.v1.")
    String topic;

    @Option(
            names = "--yes",
            description = "Delete the topic and its ACLs and soft-delete its registry subject (default: only check).")
    boolean yes;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "Governance policy file (default: the shipped policy.yaml).")
    Path policyFile;

    @Override
    public Integer call() throws Exception {
        GovernancePolicy policy = policy();
        ProductCatalog catalog = cluster.loadCatalog();
        DataProduct retired = catalog.retired().stream()
                .filter(p -> p.productTopic().equals(topic))
                .findFirst()
                .orElseThrow(() -> notRetired(catalog));
        // deleting also soft-deletes the registry subject: the registry must answer before anything is deleted
        cluster.connect(yes);
        Duration quiet = Duration.ofDays(policy.retirementQuietDays());
        ClientSettings settings = cluster.settings();
        try (Admin admin = settings.admin()) {
            Retirement retirement = new Retirement(admin, settings.kafkaConfig());
            Retirement.Verdict verdict = retirement.check(topic, Instant.now(), quiet);
            System.out.println("Retiring " + topic + " (" + retired.id() + ", contract "
                    + retired.output().id()
                    + " " + retired.output().version() + "): " + (verdict.exists() ? "topic exists" : "no topic")
                    + ", " + verdict.acls().size() + " ACL(s); quiet period " + policy.retirementQuietDays()
                    + " day(s)");
            if (!verdict.readers().isEmpty()) {
                Table t = new Table("consumer group", "members connected", "last read", "stops it");
                for (Retirement.Reader r : verdict.readers()) {
                    t.row(
                            r.group(),
                            r.connected(),
                            r.lastRead() == null
                                    ? "nothing retained"
                                    : r.lastRead().toString(),
                            verdict.blocking().contains(r) ? "YES" : "no");
                }
                System.out.print(t.render());
            }
            if (!verdict.allowed()) {
                System.err.println("retire: refused: " + topic + " is still read by consumer group(s) "
                        + String.join(
                                ", ",
                                verdict.blocking().stream()
                                        .map(Retirement.Reader::describe)
                                        .toList())
                        + " within the last " + policy.retirementQuietDays()
                        + " day(s) (retirementQuietDays); move them to its successor and retire it once they have"
                        + " stopped, or remove their offsets (kafka-consumer-groups --delete-offsets)");
                return 1;
            }
            if (!yes) {
                System.out.println(
                        "Nothing stops it; run again with --yes to delete the topic and its ACLs and soft-delete its"
                                + " registry subject.");
                return 0;
            }
            List<String> done = new java.util.ArrayList<>(retirement.remove(verdict));
            String subject = AvroSerdeConfig.valueSubject(topic);
            try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig())) {
                List<Integer> versions = registry.deleteSubject(subject, false);
                if (!versions.isEmpty()) {
                    done.add("- registry subject " + subject + " (soft-deleted, version(s) " + versions
                            + "; its schema ids still resolve for copies of its records kept elsewhere, and DELETE"
                            + " /subjects/" + subject + "?permanent=true removes it for good)");
                }
            }
            done.forEach(System.out::println);
            System.out.println("Retired " + topic + ": " + done.size() + " deletion(s)");
            return 0;
        }
    }

    private GovernancePolicy policy() throws java.io.IOException {
        if (policyFile == null) {
            return GovernancePolicy.shipped();
        }
        if (!Files.isRegularFile(policyFile)) {
            throw new UsageException("--policy " + policyFile + ": no such file");
        }
        return GovernancePolicy.parse(policyFile.toString(), Files.readString(policyFile));
    }

    private UsageException notRetired(ProductCatalog catalog) {
        for (DataProduct p : catalog.products()) {
            if (p.productTopic().equals(topic)) {
                return new UsageException(topic + " is live (product " + p.id() + ", contract "
                        + p.output().id()
                        + ", status " + p.output().contract().lifecycle().status()
                        + "); set status: retired in its contract after the sunset, deploy, then retire it");
            }
        }
        return new UsageException(topic + " is no product topic of the catalog; retired majors: "
                + catalog.retired().stream().map(DataProduct::productTopic).toList());
    }
}
