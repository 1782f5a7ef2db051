package io.backbone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.catalog.CatalogException;
import io.backbone.catalog.CatalogSource;
import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import io.backbone.contract.ContractParser;
import io.backbone.contract.DataContract;
import io.backbone.contract.diff.Change;
import io.backbone.contract.diff.ContractDiff;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroSerdeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Classifies every change between two versions of a contract and lists who would be affected. */
@Command(
        name = "diff",
        description =
                "Compare two versions of a contract (files, or --against-registry: the schema registered for its topic) "
                        + "and classify each change as breaking or not, with the version bump it needs and who is affected.")
final class ContractDiffCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Parameters(
            index = "0",
            paramLabel = "OLD",
            description = "The old contract file (or the new one with --against-registry).")
    Path oldFile;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NEW", description = "The new contract file.")
    Path newFile;

    @Option(
            names = "--against-registry",
            description = "Compare the contract's schema with the latest version registered for its topic.")
    boolean againstRegistry;

    @Option(names = "--cluster", description = "Also list the consumer groups reading the topic on the cluster.")
    boolean askCluster;

    @Option(names = "--fail-on-breaking", description = "Exit with status 1 if any change is breaking (for CI).")
    boolean failOnBreaking;

    @Override
    public Integer call() throws Exception {
        Version newer;
        Version older;
        if (againstRegistry) {
            if (newFile != null) {
                throw new UsageException("--against-registry takes one contract file, got two");
            }
            newer = load(oldFile);
            var latest = new RestSchemaRegistryClient(cluster.settings().clientConfig())
                    .latest(AvroSerdeConfig.valueSubject(newer.contract().topic()));
            older = new Version(newer.contract(), latest.schema(), newer.catalogRoot());
            System.out.println("Comparing " + oldFile + " with " + latest.subject() + " version " + latest.version()
                    + " (schema id " + latest.id() + ")");
        } else {
            if (newFile == null) {
                throw new UsageException("give OLD and NEW contract files, or one file with --against-registry");
            }
            older = load(oldFile);
            newer = load(newFile);
        }
        ContractDiff.Result result =
                ContractDiff.diff(older.contract(), older.schema(), newer.contract(), newer.schema());
        Table t = new Table("change", "where", "what", "breaking", "affects");
        for (Change c : result.changes()) {
            t.row(c.kind().label(), c.where(), c.description(), c.breaking() ? "YES" : "no", c.affects());
        }
        System.out.print(result.changes().isEmpty() ? "No changes.\n" : t.render());
        System.out.println();
        System.out.println("Version bump needed: " + result.bump()
                + (result.nextTopic() != null
                        ? " (a breaking product change: publish it on " + result.nextTopic() + " beside "
                                + newer.contract().topic() + " and migrate consumers)"
                        : ""));
        if (result.bump() != ContractDiff.Bump.NONE) {
            affected(newer);
        }
        return failOnBreaking && result.breaking() ? 1 : 0;
    }

    private void affected(Version v) throws Exception {
        String id = v.contract().id();
        TreeSet<String> declared = new TreeSet<>();
        TreeSet<String> products = new TreeSet<>();
        CatalogSource source = CatalogSource.directory(v.catalogRoot());
        for (String file : source.files(".odps.yaml")) {
            JsonNode root =
                    YamlDocument.parse(source.display(file), source.read(file)).root();
            boolean outputs = false;
            for (JsonNode port : root.path("outputPorts")) {
                outputs |= id.equals(port.path("contractId").asText());
            }
            for (JsonNode port : root.path("inputPorts")) {
                if (id.equals(port.path("contractId").asText())) {
                    products.add(root.path("id").asText() + " (" + file + ")");
                }
            }
            if (outputs) {
                JsonNode consumers = ContractParser.customProperties(root.path("customProperties"))
                        .get("consumers");
                if (consumers != null) {
                    consumers.forEach(c -> declared.add(c.asText()));
                }
            }
        }
        System.out.println("Declared consumers: " + (declared.isEmpty() ? "none" : String.join(", ", declared)));
        System.out.println("Products reading it: " + (products.isEmpty() ? "none" : String.join(", ", products)));
        if (askCluster) {
            System.out.println("Consumer groups reading " + v.contract().topic() + ": "
                    + groupsReading(v.contract().topic()));
        }
    }

    private List<String> groupsReading(String topic) throws Exception {
        List<String> groups = new ArrayList<>();
        try (Admin admin = Backbone.admin(cluster.settings())) {
            for (ConsumerGroupListing g : admin.listConsumerGroups().all().get()) {
                var offsets = admin.listConsumerGroupOffsets(g.groupId())
                        .partitionsToOffsetAndMetadata()
                        .get();
                if (offsets.keySet().stream().anyMatch(tp -> tp.topic().equals(topic))) {
                    groups.add(g.groupId());
                }
            }
        }
        return groups;
    }

    /** A contract file, its Avro schema, and the catalog folder both were found in. */
    private record Version(DataContract contract, Schema schema, Path catalogRoot) {}

    private static Version load(Path file) throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": no such contract file");
        }
        List<Problem> problems = new ArrayList<>();
        DataContract contract =
                ContractParser.parse(YamlDocument.parse(file.toString(), Files.readString(file)), problems);
        if (contract == null) {
            throw new CatalogException(problems);
        }
        for (Path dir = file.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            Path avsc = dir.resolve(contract.avroSchemaRef());
            if (Files.isRegularFile(avsc)) {
                return new Version(contract, new Schema.Parser().parse(avsc.toFile()), dir);
            }
        }
        throw new UsageException(file + ": its avroSchema " + contract.avroSchemaRef()
                + " is in none of its parent folders; keep contracts in a catalog folder (domains/ and avro/)");
    }
}
