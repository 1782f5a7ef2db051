package io.backbone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.catalog.CatalogException;
import io.backbone.catalog.CatalogSource;
import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import io.backbone.console.Table;
import io.backbone.contract.ContractParser;
import io.backbone.contract.DataContract;
import io.backbone.contract.diff.Change;
import io.backbone.contract.diff.ContractDiff;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroSerdeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
                        + "and classify each change as breaking or not, with the version bump it needs and who is affected. "
                        + "OLD may lie outside any catalog (e.g. from 'git show REF:path > /tmp/old.yaml'): its Avro "
                        + "schema is then taken from --catalog, else from NEW's catalog; --git-ref REF reads both the old "
                        + "contract and its old Avro schema from git.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:compared (and nothing the flags below forbid was found)",
            "1:a breaking change with --fail-on-breaking, or a version not bumped as the change needs with "
                    + "--require-version-bump",
            "2:bad flag or file"
        })
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

    @Option(
            names = "--require-version-bump",
            description = "Exit with status 1 if the contract's version is not bumped as the changes need.")
    boolean requireVersionBump;

    @Option(
            names = "--git-ref",
            paramLabel = "REF",
            description = "Compare the one contract file given with its version at this git ref (e.g. origin/main), "
                    + "Avro schema included.")
    String gitRef;

    @Mixin
    FormatOption output;

    @Override
    public Integer call() throws Exception {
        Version newer;
        Version older;
        String oldLabel;
        if (againstRegistry || gitRef != null) {
            if (newFile != null) {
                throw new UsageException(
                        (againstRegistry ? "--against-registry" : "--git-ref") + " takes one contract file, got two");
            }
            newer = load(oldFile, null);
            if (againstRegistry) {
                cluster.connect(true);
                var latest = new RestSchemaRegistryClient(cluster.settings().clientConfig())
                        .latest(AvroSerdeConfig.valueSubject(newer.contract().topic()));
                older = new Version(newer.contract(), latest.schema(), newer.catalogRoot());
                oldLabel = latest.subject() + " version " + latest.version() + " (schema id " + latest.id() + ")";
            } else {
                older = atGitRef(newer, gitRef);
                oldLabel = gitRef + ":" + oldFile;
                if (older == null) {
                    System.out.println(oldFile + " is new since " + gitRef + ": contract "
                            + newer.contract().id()
                            + " " + newer.contract().version() + " (topic "
                            + newer.contract().topic()
                            + ") has no released version to break");
                    return 0;
                }
            }
        } else {
            if (newFile == null) {
                throw new UsageException(
                        "give OLD and NEW contract files, or one file with --against-registry or " + "--git-ref REF");
            }
            newer = load(newFile, cluster.catalog);
            Path schemasOfOld = cluster.catalog != null ? cluster.catalog : newer.catalogRoot();
            older = load(oldFile, schemasOfOld);
            oldLabel = oldFile.toString();
            if (older.borrowedSchema()) {
                System.err.println("contract diff: " + oldFile + " is not in a catalog folder; its Avro schema "
                        + older.contract().avroSchemaRef() + " is taken from " + schemasOfOld
                        + " (use --git-ref REF to compare the old schema too)");
            }
        }
        List<String> notes = new ArrayList<>();
        if (!older.contract().id().equals(newer.contract().id())) {
            notes.add("warning: these are different contracts (id "
                    + older.contract().id() + " and " + newer.contract().id()
                    + "); compare two versions of one contract");
        }
        ContractDiff.Result result =
                ContractDiff.diff(older.contract(), older.schema(), newer.contract(), newer.schema());
        String bumpProblem =
                versionBumpProblem(older.contract().version(), newer.contract().version(), result.bump());
        if (bumpProblem != null) {
            notes.add(bumpProblem);
        }
        notes.forEach(n -> System.err.println("contract diff: " + n));
        System.out.print(render(oldLabel, older, newer, result, bumpProblem));
        Audience audience = null;
        if (output.format == ReportFormat.TEXT && result.bump() != ContractDiff.Bump.NONE
                || failOnBreaking && result.breaking()) {
            audience = audience(newer);
            if (output.format == ReportFormat.TEXT) {
                audience.print(newer.contract().topic());
            }
        }
        if (failOnBreaking && result.breaking()) {
            System.err.println("contract diff: FAILED: "
                    + result.changes().stream().filter(Change::breaking).count()
                    + " breaking change(s) to " + newer.contract().topic() + ", read by " + audience.who()
                    + ". Do not break it in place: publish the change as a new major"
                    + (result.nextTopic() != null ? " on " + freeMajor(newer, result.nextTopic()) : "")
                    + " (a new contract and output port beside this one, this one deprecated with a successor and a"
                    + " sunset at least the policy's deprecationNoticeDays away)");
        }
        boolean failed = (failOnBreaking && result.breaking()) || (requireVersionBump && bumpProblem != null);
        return failed ? 1 : 0;
    }

    private String render(String oldLabel, Version older, Version newer, ContractDiff.Result result, String bumpProblem)
            throws IOException {
        String file = newFile != null ? newFile.toString() : oldFile.toString();
        switch (output.format) {
            case JSON -> {
                ObjectMapper json = new ObjectMapper();
                ObjectNode root = json.createObjectNode();
                root.put("old", oldLabel).put("new", file);
                root.put("contractId", newer.contract().id());
                root.put("oldVersion", older.contract().version())
                        .put("newVersion", newer.contract().version());
                root.put("bump", result.bump().name()).put("breaking", result.breaking());
                root.put("nextTopic", result.nextTopic());
                root.put("versionBumpProblem", bumpProblem);
                var changes = root.putArray("changes");
                for (Change c : result.changes()) {
                    changes.addObject()
                            .put("kind", c.kind().name())
                            .put("label", c.kind().label())
                            .put("where", c.where())
                            .put("description", c.description())
                            .put("breaking", c.breaking())
                            .put("affects", c.affects());
                }
                return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
            }
            case JUNIT -> {
                JUnitReport report = new JUnitReport(
                        "backbone contract diff " + newer.contract().id());
                for (Change c : result.changes()) {
                    List<JUnitReport.Failure> failures = c.breaking()
                            ? List.of(new JUnitReport.Failure(
                                    "breaking",
                                    c.description(),
                                    c.kind().label() + " at " + c.where() + ": " + c.description() + " (affects "
                                            + c.affects() + ")"))
                            : List.of();
                    report.add(new JUnitReport.TestCase(c.kind().label() + " " + c.where(), file, failures));
                }
                report.add(new JUnitReport.TestCase(
                        "version " + older.contract().version() + " -> "
                                + newer.contract().version(),
                        file,
                        bumpProblem == null
                                ? List.of()
                                : List.of(new JUnitReport.Failure("version", bumpProblem, bumpProblem))));
                return report.render();
            }
            default -> {
                StringBuilder out = new StringBuilder("Comparing " + oldLabel + " with " + file + "\n");
                Table t = new Table("change", "where", "what", "breaking", "affects");
                for (Change c : result.changes()) {
                    t.row(c.kind().label(), c.where(), c.description(), c.breaking() ? "YES" : "no", c.affects());
                }
                out.append(result.changes().isEmpty() ? "No changes.\n" : t.render())
                        .append('\n');
                out.append("Version bump needed: ")
                        .append(result.bump())
                        .append(
                                result.nextTopic() != null
                                        ? " (a breaking product change: publish it on " + result.nextTopic()
                                                + " beside " + newer.contract().topic() + " and migrate consumers)"
                                        : "")
                        .append('\n');
                out.append("Contract version: ")
                        .append(older.contract().version())
                        .append(" -> ")
                        .append(newer.contract().version())
                        .append(bumpProblem == null ? " (enough)" : " (" + bumpProblem + ")")
                        .append('\n');
                return out.toString();
            }
        }
    }

    /**
     * Why {@code newVersion} is not bumped as a change of size {@code bump} needs (semantic versioning: MAJOR moves
     * the first number, MINOR at least the second), or null when it is.
     */
    static String versionBumpProblem(String oldVersion, String newVersion, ContractDiff.Bump bump) {
        int[] o = semver(oldVersion);
        int[] n = semver(newVersion);
        if (o == null || n == null) {
            return "version '" + (o == null ? oldVersion : newVersion)
                    + "' is not MAJOR.MINOR.PATCH; cannot check the bump";
        }
        boolean majorUp = n[0] > o[0];
        boolean minorUp = majorUp || (n[0] == o[0] && n[1] > o[1]);
        return switch (bump) {
            case MAJOR -> majorUp ? null : "the changes are breaking: version must go to " + (o[0] + 1) + ".0.0";
            case MINOR ->
                minorUp
                        ? null
                        : "the changes need a minor bump: version must go to at least " + o[0] + "." + (o[1] + 1)
                                + ".0";
            case PATCH ->
                n[0] > o[0] || n[0] == o[0] && (n[1] > o[1] || n[1] == o[1] && n[2] > o[2])
                        ? null
                        : "the documentation changed: version must go to at least " + o[0] + "." + o[1] + "."
                                + (o[2] + 1);
            case NONE -> null;
        };
    }

    private static int[] semver(String version) {
        if (version == null || !version.matches("\\d+\\.\\d+\\.\\d+([-+].*)?")) {
            return null;
        }
        String[] parts = version.split("[-+]")[0].split("\\.");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    }

    /** Who reads a contract's topic: consumers its descriptor declares, products reading it, groups on the cluster. */
    private record Audience(TreeSet<String> declared, TreeSet<String> products, List<String> groups) {
        void print(String topic) {
            System.out.println("Declared consumers: " + (declared.isEmpty() ? "none" : String.join(", ", declared)));
            System.out.println("Products reading it: " + (products.isEmpty() ? "none" : String.join(", ", products)));
            if (groups != null) {
                System.out.println("Consumer groups reading " + topic + ": " + groups);
            }
        }

        /** The readers in one phrase, for the failure line. */
        String who() {
            List<String> parts = new ArrayList<>();
            if (!declared.isEmpty()) {
                parts.add("declared consumers " + String.join(", ", declared));
            }
            if (!products.isEmpty()) {
                parts.add("products " + String.join(", ", products));
            }
            if (groups != null) {
                parts.add(groups.isEmpty() ? "no consumer group" : "consumer groups " + String.join(", ", groups));
            } else {
                parts.add("the consumer groups on the cluster (add --cluster to name them)");
            }
            return String.join("; ", parts);
        }
    }

    /**
     * {@code suggested} ({@code <product topic>.v<N>}), or the first later major no contract of {@code v}'s catalog
     * publishes already (a product in its notice period has its next major live beside it).
     */
    static String freeMajor(Version v, String suggested) throws IOException {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(.*\\.v)([0-9]+)").matcher(suggested);
        if (!m.matches()) {
            return suggested;
        }
        java.util.Set<String> taken = new java.util.HashSet<>();
        CatalogSource source = CatalogSource.directory(v.catalogRoot());
        for (String file : source.files(".odcs.yaml")) {
            YamlDocument.parse(source.display(file), source.read(file))
                    .root()
                    .path("schema")
                    .forEach(s -> taken.add(s.path("physicalName").asText()));
        }
        int major = Integer.parseInt(m.group(2));
        while (taken.contains(m.group(1) + major)) {
            major++;
        }
        return m.group(1) + major;
    }

    private Audience audience(Version v) throws Exception {
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
        List<String> groups = null;
        if (askCluster) {
            cluster.connect(false);
            groups = groupsReading(v.contract().topic());
        }
        return new Audience(declared, products, groups);
    }

    private List<String> groupsReading(String topic) throws Exception {
        List<String> groups = new ArrayList<>();
        try (Admin admin = cluster.settings().admin()) {
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

    /**
     * A contract file, its Avro schema, the catalog folder both were found in, and whether the schema was
     * borrowed from another folder because the file is not in a catalog.
     */
    private record Version(DataContract contract, Schema schema, Path catalogRoot, boolean borrowedSchema) {
        Version(DataContract contract, Schema schema, Path catalogRoot) {
            this(contract, schema, catalogRoot, false);
        }
    }

    /** Loads {@code file}, taking its Avro schema from a parent folder, else from {@code fallbackCatalog}. */
    private static Version load(Path file, Path fallbackCatalog) throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": no such contract file");
        }
        DataContract contract = parse(file.toString(), Files.readString(file));
        for (Path dir = file.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            Path avsc = dir.resolve(contract.avroSchemaRef());
            if (Files.isRegularFile(avsc)) {
                return new Version(contract, new Schema.Parser().parse(avsc.toFile()), dir);
            }
        }
        if (fallbackCatalog != null && Files.isRegularFile(fallbackCatalog.resolve(contract.avroSchemaRef()))) {
            Schema schema = new Schema.Parser()
                    .parse(fallbackCatalog.resolve(contract.avroSchemaRef()).toFile());
            return new Version(contract, schema, fallbackCatalog, true);
        }
        throw new UsageException(file + ": its avroSchema " + contract.avroSchemaRef()
                + " is in none of its parent folders" + (fallbackCatalog == null ? "" : " nor in " + fallbackCatalog)
                + "; pass --catalog DIR (the catalog folder holding avro/), or --git-ref REF");
    }

    private static DataContract parse(String name, String text) {
        List<Problem> problems = new ArrayList<>();
        DataContract contract = ContractParser.parse(YamlDocument.parse(name, text), problems);
        if (contract == null) {
            throw new CatalogException(problems);
        }
        return contract;
    }

    /** The contract file of {@code newer} and its Avro schema as they were at {@code ref}. */
    private Version atGitRef(Version newer, String ref) {
        Path file = oldFile.toAbsolutePath().normalize();
        Path top = Path.of(git(file.getParent(), "rev-parse", "--show-toplevel").trim());
        String contractPath = top.relativize(file).toString().replace('\\', '/');
        String avscPath = top.relativize(newer.catalogRoot()
                        .toAbsolutePath()
                        .normalize()
                        .resolve(newer.contract().avroSchemaRef()))
                .toString()
                .replace('\\', '/');
        if (!atRef(top, ref + ":" + contractPath)) {
            return null; // a new contract: nothing at the ref to compare with
        }
        DataContract contract = parse(ref + ":" + contractPath, git(top, "show", ref + ":" + contractPath));
        Schema schema = new Schema.Parser().parse(git(top, "show", ref + ":" + avscPath));
        return new Version(contract, schema, newer.catalogRoot());
    }

    /** Whether {@code object} ({@code REF:path}) exists; a bad ref is still an error from git. */
    private static boolean atRef(Path top, String object) {
        String ref = object.substring(0, object.indexOf(':'));
        git(top, "rev-parse", "--verify", "--quiet", ref + "^{commit}");
        try {
            Process p = new ProcessBuilder("git", "-C", top.toString(), "cat-file", "-e", object)
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            throw new UsageException("--git-ref needs git on the PATH: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted while running git");
        }
    }

    private static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Path errors = Files.createTempFile("backbone-git", ".err");
            Process p =
                    new ProcessBuilder(command).redirectError(errors.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            int exit = p.waitFor();
            String err = Files.readString(errors).trim();
            Files.deleteIfExists(errors);
            if (exit != 0) {
                throw new UsageException("--git-ref: '" + String.join(" ", args) + "' failed in " + dir + ": " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("--git-ref needs git on the PATH: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted while running git");
        }
    }
}
