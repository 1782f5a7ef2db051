package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backbone.catalog.CatalogFixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/** The command line as Kafka's and datacontract-cli's users expect it. */
class CommandLineBehaviourTest {
    static final Path SHIPPED = Path.of("../schemas/src/main/resources/catalog");

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = BackboneCommand.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    /** Every command path, e.g. ["contract", "diff"], found by walking the real command tree. */
    static Stream<Arguments> everyCommandAndHelpFlag() {
        CommandLine root = new CommandLine(new BackboneCommand());
        List<List<String>> paths = new ArrayList<>();
        collect(root, new ArrayList<>(), paths);
        return paths.stream().flatMap(p -> Stream.of(Arguments.of(p, "-h"), Arguments.of(p, "--help")));
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help") || !sub.getCommandName().equals(name)) {
                return;
            }
            List<String> p = new ArrayList<>(path);
            p.add(name);
            into.add(p);
            collect(sub, p, into);
        });
    }

    @ParameterizedTest(name = "backbone {0} {1}")
    @MethodSource("everyCommandAndHelpFlag")
    void everySubcommandTakesTheStandardHelpFlags(List<String> command, String flag) {
        List<String> args = new ArrayList<>(command);
        args.add(flag);

        Run r = run(args.toArray(String[]::new));

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Usage: backbone " + String.join(" ", command));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void theCommandTreeHasTheCommandsUsersCall() {
        assertThat(everyCommandAndHelpFlag().map(a -> String.join(" ", (List<String>) a.get()[0])))
                .contains(
                        "demo", "topology", "lint", "contract", "contract diff", "produce", "produce-json", "consume");
    }

    @Test
    void theValidDomainsAreListedInOneOrder() {
        Run first = run("produce", "foo");
        Run second = run("produce", "foo");

        assertThat(first.exit()).isEqualTo(2);
        assertThat(first.err()).contains("choose from [customers, orders, payments]");
        assertThat(second.err()).isEqualTo(first.err());
    }

    @Test
    void lintTakesTheRepositorysOwnCatalogFolderADomainFolderAndASingleFile() {
        assertThat(run("lint", SHIPPED.toString()).exit()).isZero();
        // spelt as every other command takes a catalog, too
        assertThat(run("lint", "--catalog", SHIPPED.toString()).exit()).isZero();
        assertThat(run("lint", "--catalog", SHIPPED.resolve("no-such").toString())
                        .exit())
                .isNotZero();
        assertThat(run("lint", SHIPPED.resolve("domains/orders").toString()).exit())
                .isZero();
        Run one = run("lint", SHIPPED.resolve("domains/orders/orders.odcs.yaml").toString(), "--format", "json");
        assertThat(one.exit()).isZero();
        assertThat(one.out()).contains("domains/orders/orders.odcs.yaml").doesNotContain("payments");
    }

    @Test
    void lintOfOneFileReportsOnlyThatFilesProblemsAsJsonAndJUnit(@TempDir Path dir) throws Exception {
        CatalogFixtures.copyShipped(Path.of("../schemas"), dir);
        Path payments = dir.resolve("domains/payments/payments.odcs.yaml");
        Files.writeString(payments, Files.readString(payments).replace("value: BACKWARD", "value: FORWARD"));
        Path orders = dir.resolve("domains/orders/orders.odcs.yaml");

        assertThat(run("lint", orders.toString()).exit()).isZero();

        Run json = run("lint", payments.toString(), "--format", "json");
        assertThat(json.exit()).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.path("problems").asInt()).isEqualTo(1);
        assertThat(report.path("results").get(0).path("file").asText()).endsWith("payments.odcs.yaml");
        assertThat(report.path("results").get(0).path("fix").asText()).isNotBlank();

        Run junit = run("lint", dir.resolve("domains").toString(), "--format", "junit");
        assertThat(junit.exit()).isEqualTo(1);
        Document xml = parseXml(junit.out());
        NodeList cases = xml.getElementsByTagName("testcase");
        NodeList failures = xml.getElementsByTagName("failure");
        assertThat(cases.getLength()).isGreaterThanOrEqualTo(7);
        assertThat(failures.getLength()).isEqualTo(1);
        assertThat(failures.item(0)
                        .getParentNode()
                        .getAttributes()
                        .getNamedItem("name")
                        .getNodeValue())
                .endsWith("payments.odcs.yaml");
    }

    @Test
    void lintRefusesAPathOutsideAnyCatalogAndAnUnknownFormat(@TempDir Path dir) throws IOException {
        Path loose = Files.writeString(dir.resolve("x.odcs.yaml"), "id: x\n");

        Run outside = run("lint", loose.toString());
        assertThat(outside.exit()).isEqualTo(2);
        assertThat(outside.err()).contains("not in a catalog");

        Run format = run("lint", "--format", "xml");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("--format xml").contains("text").contains("junit");
    }

    /** The usual CI step: git show origin/main:path > /tmp/old.yaml, then diff it with the working copy. */
    @Test
    void contractDiffTakesAnOldFileFromGitShowAndAGitRef(@TempDir Path repo, @TempDir Path tmp) throws Exception {
        CatalogFixtures.copyShipped(Path.of("../schemas"), repo.resolve("catalog"));
        git(repo, "init", "-q");
        git(repo, "-c", "user.email=ci@example.org", "-c", "user.name=ci", "add", ".");
        git(repo, "-c", "user.email=ci@example.org", "-c", "user.name=ci", "commit", "-qm", "v1");
        Path contract = repo.resolve("catalog/domains/payments/payments.odcs.yaml");
        Files.writeString(contract, Files.readString(contract).replace("    value: BACKWARD\n", "    value: NONE\n"));
        Path old = tmp.resolve("old.yaml");
        Files.writeString(old, git(repo, "show", "HEAD:catalog/domains/payments/payments.odcs.yaml"));

        Run fromShow = run("contract", "diff", old.toString(), contract.toString(), "--fail-on-breaking");
        assertThat(fromShow.exit()).as(fromShow.err()).isEqualTo(1);
        assertThat(fromShow.out()).contains("compatibility mode changed").contains("Version bump needed: MAJOR");
        assertThat(fromShow.err()).contains("not in a catalog folder").contains("must go to 2.0.0");

        Run fromRef = run("contract", "diff", "--git-ref", "HEAD", contract.toString(), "--format", "json");
        assertThat(fromRef.exit()).as(fromRef.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(fromRef.out());
        assertThat(report.path("bump").asText()).isEqualTo("MAJOR");
        assertThat(report.path("changes").get(0).path("kind").asText()).isEqualTo("COMPATIBILITY_CHANGED");
        assertThat(report.path("versionBumpProblem").asText()).contains("2.0.0");

        Files.writeString(contract, Files.readString(contract).replace("version: 1.0.0", "version: 2.0.0"));
        assertThat(run("contract", "diff", "--git-ref", "HEAD", contract.toString(), "--require-version-bump")
                        .exit())
                .isZero();
        Files.writeString(contract, Files.readString(contract).replace("version: 2.0.0", "version: 1.0.1"));
        assertThat(run("contract", "diff", "--git-ref", "HEAD", contract.toString(), "--require-version-bump")
                        .exit())
                .isEqualTo(1);
    }

    /**
     * The gate in CI for a product with one released major: a breaking change to it in place fails and names its
     * consumers; the same change as major 2 beside it, major 1 deprecated with notice, passes; a sunset closer than
     * the policy's notice fails lint.
     */
    @Test
    void theDiffGateRefusesABreakingChangeInPlaceAndPassesItAsANewMajor(@TempDir Path repo) throws Exception {
        Path catalog = repo.resolve("catalog");
        CatalogFixtures.copyShipped(Path.of("../schemas"), catalog);
        Path v1 = catalog.resolve("domains/orders/orders.odcs.yaml");
        Path v2 = catalog.resolve("domains/orders/orders-v2.odcs.yaml");
        Path descriptor = catalog.resolve("domains/orders/orders.odps.yaml");
        String shippedV1 = Files.readString(v1);
        String shippedV2 = Files.readString(v2);
        String shippedDescriptor = Files.readString(descriptor);
        // the release: orders had one major, active
        String active = shippedV1.replace("version: 1.1.0\nstatus: deprecated", "version: 1.0.0\nstatus: active");
        Files.writeString(v1, active.substring(0, active.indexOf("  # major 2 (orders-v2.odcs.yaml)")));
        Files.delete(v2);
        Files.writeString(
                descriptor,
                shippedDescriptor
                        .replace("    version: 1.1.0\n", "    version: 1.0.0\n")
                        .replace(
                                "  - name: v2\n    version: 2.0.0\n    contractId: orders.product.orders.v2\n"
                                        + "    type: topic\n",
                                ""));
        assertThat(run("lint", catalog.toString()).exit())
                .as("the release lints")
                .isZero();
        git(repo, "init", "-q");
        git(repo, "-c", "user.email=ci@example.org", "-c", "user.name=ci", "add", ".");
        git(repo, "-c", "user.email=ci@example.org", "-c", "user.name=ci", "commit", "-qm", "release");
        String released = Files.readString(v1);

        // in place: the order's customer id renamed in major 1
        Files.writeString(v1, released.replace("      - name: customerId\n", "      - name: buyerId\n"));
        Path avsc = catalog.resolve("avro/orders/OrderEvent.avsc");
        String avro = Files.readString(avsc);
        Files.writeString(avsc, avro.replace("\"name\": \"customerId\"", "\"name\": \"buyerId\""));
        Run inPlace = run("contract", "diff", "--git-ref", "HEAD", v1.toString(), "--fail-on-breaking");

        assertThat(inPlace.exit()).as(inPlace.out() + inPlace.err()).isEqualTo(1);
        assertThat(inPlace.err())
                .contains("contract diff: FAILED:")
                .contains("breaking change(s) to orders.product.orders.v1")
                .contains("declared consumers finance-reporting, fulfilment, sales-analytics")
                .contains("products paid-orders")
                .contains("publish the change as a new major on orders.product.orders.v2");

        // as a new major: v1 back as released, only deprecated; v2 new beside it (the shipped catalog)
        Files.writeString(avsc, avro);
        Files.writeString(v1, shippedV1);
        Files.writeString(v2, shippedV2);
        Files.writeString(descriptor, shippedDescriptor);
        Run deprecated = run("contract", "diff", "--git-ref", "HEAD", v1.toString(), "--fail-on-breaking");
        Run added = run("contract", "diff", "--git-ref", "HEAD", v2.toString(), "--fail-on-breaking");

        assertThat(deprecated.exit()).as(deprecated.out() + deprecated.err()).isZero();
        assertThat(deprecated.out()).contains("deprecated").contains("Version bump needed: MINOR");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains("is new since HEAD").contains("has no released version to break");
        assertThat(run("lint", catalog.toString()).exit()).isZero();

        // released with both majors live, a breaking change to major 1 in place is sent on to major 3
        git(repo, "-c", "user.email=ci@example.org", "-c", "user.name=ci", "add", ".");
        git(repo, "-c", "user.email=ci@example.org", "-c", "user.name=ci", "commit", "-qm", "major 2");
        Files.writeString(v1, shippedV1.replace("      - name: customerId\n", "      - name: buyerId\n"));
        Files.writeString(avsc, avro.replace("\"name\": \"customerId\"", "\"name\": \"buyerId\""));
        Run again = run("contract", "diff", "--git-ref", "HEAD", v1.toString(), "--fail-on-breaking");
        assertThat(again.exit()).as(again.out() + again.err()).isEqualTo(1);
        assertThat(again.err()).contains("publish the change as a new major on orders.product.orders.v3 ");
        Files.writeString(avsc, avro);

        // a sunset closer than the policy's 30 days of notice
        Files.writeString(v1, shippedV1.replace("value: \"2027-03-31\"", "value: \"2026-12-15\""));
        Run lint = run("lint", catalog.toString());
        assertThat(lint.exit()).isEqualTo(1);
        assertThat(lint.out() + lint.err())
                .contains("orders.odcs.yaml:")
                .contains("sunset 2026-12-15 is 14 day(s) after deprecatedOn 2026-12-01")
                .contains("set sunset on or after 2026-12-31");
    }

    @Test
    void contractExportPrintsTheRuleSetProvisionRegistersAndNamesWhatStaysWithTheBackbone() throws Exception {
        Run raw = run("contract", "export", "orders.raw.order-events");
        Run product = run("contract", "export", "orders.product.orders");
        Run unknown = run("contract", "export", "orders.raw.ordr-events");

        assertThat(raw.exit()).as(raw.err()).isZero();
        JsonNode exported = new ObjectMapper().readTree(raw.out());
        assertThat(exported.path("ruleSet").path("domainRules"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.path("expr").asText()).contains("message."));
        assertThat(exported.path("metadata")
                        .path("properties")
                        .path("backbone.contract.id")
                        .asText())
                .isEqualTo("orders.raw.order-events");
        assertThat(product.err())
                .contains("rule 'total-equals-sum-of-lines' stays with the backbone")
                .contains("sum()");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err())
                .contains("no contract 'orders.raw.ordr-events'")
                .contains("orders.raw.order-events");
    }

    @Test
    void contractDiffWarnsWhenTheFilesAreDifferentContractsAndWritesJUnit() throws Exception {
        Path orders = SHIPPED.resolve("domains/orders/orders.odcs.yaml");
        Path payments = SHIPPED.resolve("domains/payments/payments.odcs.yaml");

        Run r = run("contract", "diff", orders.toString(), payments.toString(), "--format", "junit");

        assertThat(r.err()).contains("different contracts");
        Document xml = parseXml(r.out());
        assertThat(xml.getElementsByTagName("testcase").getLength()).isPositive();
        assertThat(xml.getElementsByTagName("failure").getLength()).isPositive();
    }

    @Test
    void aRefusedOperationNamesThePrincipalTheResourceAndTheOperation() {
        Failures.rememberPrincipal(
                Map.of(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"orders-service\" password=\"x\";"));
        try {
            String line = Failures.oneLine(new org.apache.kafka.common.errors.TopicAuthorizationException(
                    java.util.Set.of("payments.raw.payment-events")));

            assertThat(line)
                    .contains("User:orders-service")
                    .contains("payments.raw.payment-events")
                    .contains("WRITE (to produce)")
                    .contains("backbone apply")
                    .doesNotContain("password");
        } finally {
            Failures.principal = null;
        }
    }

    @Test
    void versionBumpRulesFollowSemanticVersioning() {
        assertThat(ContractDiffCommand.versionBumpProblem(
                        "1.2.3", "2.0.0", io.backbone.contract.diff.ContractDiff.Bump.MAJOR))
                .isNull();
        assertThat(ContractDiffCommand.versionBumpProblem(
                        "1.2.3", "1.3.0", io.backbone.contract.diff.ContractDiff.Bump.MAJOR))
                .contains("2.0.0");
        assertThat(ContractDiffCommand.versionBumpProblem(
                        "1.2.3", "1.3.0", io.backbone.contract.diff.ContractDiff.Bump.MINOR))
                .isNull();
        assertThat(ContractDiffCommand.versionBumpProblem(
                        "1.2.3", "1.2.4", io.backbone.contract.diff.ContractDiff.Bump.MINOR))
                .contains("1.3.0");
        assertThat(ContractDiffCommand.versionBumpProblem(
                        "1.2.3", "1.2.3", io.backbone.contract.diff.ContractDiff.Bump.NONE))
                .isNull();
        assertThat(ContractDiffCommand.versionBumpProblem(
                        "1.2.3", "1.2.3", io.backbone.contract.diff.ContractDiff.Bump.PATCH))
                .contains("1.2.4");
        assertThat(ContractDiffCommand.versionBumpProblem(
                        "1.2.3", "1.2.4", io.backbone.contract.diff.ContractDiff.Bump.PATCH))
                .isNull();
        assertThat(ContractDiffCommand.versionBumpProblem(
                        "v1", "1.2.3", io.backbone.contract.diff.ContractDiff.Bump.NONE))
                .contains("not MAJOR.MINOR.PATCH");
    }

    @Test
    void consumeRefusesAnOffsetWithoutAPartitionBeforeConnecting() {
        Run r = run("consume", "orders.raw.order-events", "--offset", "5", "--bootstrap-servers", "127.0.0.1:1");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--offset 5 needs --partition");
    }

    @Test
    void theStateDirectoryIsPerApplicationAndCluster() {
        String a = TopologyCommand.defaultStateDir("backbone", "cluster-a");
        String b = TopologyCommand.defaultStateDir("backbone", "cluster-b");
        String c = TopologyCommand.defaultStateDir("bench", "cluster-a");

        assertThat(a)
                .endsWith(Path.of("backbone-state", "backbone", "cluster-a").toString());
        assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
    }

    static Document parseXml(String text) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
