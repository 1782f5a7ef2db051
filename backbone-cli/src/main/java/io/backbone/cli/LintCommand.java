package io.backbone.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.catalog.CatalogSource;
import io.backbone.catalog.Problem;
import io.backbone.governance.GovernancePolicy;
import io.backbone.governance.Linter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Checks catalogs, domain folders or single files against the ODCS/ODPS JSON Schemas and the governance policy. */
@Command(
        name = "lint",
        description = "Check contracts and descriptors against the ODCS/ODPS JSON Schemas, their Avro schemas and the "
                + "governance policy. PATH is a catalog folder (holding domains/ and avro/), a folder inside one "
                + "(e.g. domains/orders) or a single .odcs.yaml/.odps.yaml file; the catalog around it is loaded so "
                + "references resolve, and the problems of PATH are reported.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:no problems (warnings, e.g. deprecated fields, are printed but pass)",
            "1:at least one problem",
            "2:bad flag, or a PATH that is not in a catalog"
        })
final class LintCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "PATH",
            arity = "0..*",
            description = "Catalogs, folders in a catalog, or files (default: the shipped catalog).")
    List<Path> paths = new ArrayList<>();

    @Option(
            names = "--catalog",
            paramLabel = "DIR",
            description = "Catalog folder to lint, as the other commands take it (the same as giving it as a path).")
    Path catalog;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "Governance policy file (default: the shipped policy.yaml).")
    Path policyFile;

    @Mixin
    FormatOption output;

    /** One thing to lint: the catalog it lives in, and the part of it that was asked for. */
    record Target(CatalogSource source, String displayPrefix, List<String> files) {}

    @Override
    public Integer call() throws Exception {
        GovernancePolicy policy;
        if (policyFile == null) {
            policy = GovernancePolicy.shipped();
        } else if (!Files.isRegularFile(policyFile)) {
            throw new UsageException("--policy " + policyFile + ": no such file");
        } else {
            policy = GovernancePolicy.parse(policyFile.toString(), Files.readString(policyFile));
        }
        List<Target> targets = new ArrayList<>();
        List<Path> paths = new ArrayList<>(this.paths);
        if (catalog != null) {
            paths.add(catalog);
        }
        if (paths.isEmpty()) {
            CatalogSource shipped = CatalogSource.classpath();
            targets.add(new Target(shipped, shipped.display(""), catalogFiles(shipped)));
        } else {
            for (Path p : paths) {
                targets.add(target(p));
            }
        }
        List<String> files = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Target t : targets) {
            files.addAll(t.files().stream().map(t.source()::display).toList());
            Linter.lint(t.source(), policy).stream()
                    .filter(p -> p.file().startsWith(t.displayPrefix()))
                    .forEach(problems::add);
        }
        System.out.print(render(files, problems));
        long warnings = problems.stream().filter(Problem::warning).count();
        long errors = problems.size() - warnings;
        System.err.println((errors == 0 ? "lint: no problems" : "lint: " + errors + " problem(s)")
                + (warnings == 0 ? "" : ", " + warnings + " warning(s)"));
        return errors == 0 ? 0 : 1;
    }

    private String render(List<String> files, List<Problem> problems) throws Exception {
        switch (output.format) {
            case JSON -> {
                ObjectMapper json = new ObjectMapper();
                ObjectNode root = json.createObjectNode();
                root.put("problems", problems.stream().filter(p -> !p.warning()).count());
                root.put("warnings", problems.stream().filter(Problem::warning).count());
                root.set("files", json.valueToTree(files));
                ArrayNode list = root.putArray("results");
                for (Problem p : problems) {
                    list.addObject()
                            .put("file", p.file())
                            .put("line", Math.max(p.line(), 1))
                            .put("field", p.field())
                            .put("policy", p.policy())
                            .put("severity", p.warning() ? "warning" : "error")
                            .put("message", p.message())
                            .put("fix", p.fix());
                }
                return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
            }
            case JUNIT -> {
                JUnitReport report = new JUnitReport("backbone lint");
                for (String file : files) {
                    List<JUnitReport.Failure> failures = problems.stream()
                            .filter(p -> p.file().equals(file) && !p.warning())
                            .map(p -> new JUnitReport.Failure(p.policy(), p.message(), p.lintLine()))
                            .toList();
                    report.add(new JUnitReport.TestCase(file, "lint", failures));
                }
                problems.stream()
                        .filter(p -> !files.contains(p.file()) && !p.warning())
                        .forEach(p -> report.add(new JUnitReport.TestCase(
                                p.file(),
                                "lint",
                                List.of(new JUnitReport.Failure(p.policy(), p.message(), p.lintLine())))));
                return report.render();
            }
            default -> {
                StringBuilder out = new StringBuilder();
                problems.forEach(p -> out.append(p.lintLine()).append('\n'));
                return out.toString();
            }
        }
    }

    /** The catalog around {@code path}: the nearest folder, {@code path} itself included, that holds {@code domains/}. */
    static Target target(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new UsageException(path + ": no such file or folder");
        }
        for (Path dir = Files.isDirectory(absolute) ? absolute : absolute.getParent();
                dir != null;
                dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("domains"))) {
                CatalogSource source = CatalogSource.directory(dir);
                String relative = dir.relativize(absolute).toString().replace('\\', '/');
                String prefix = relative.isEmpty() ? source.display("") : source.display(relative);
                List<String> files = catalogFiles(source).stream()
                        .filter(f -> relative.isEmpty() || f.equals(relative) || f.startsWith(relative + "/"))
                        .toList();
                return new Target(source, prefix, files);
            }
        }
        throw new UsageException(path + ": not in a catalog (no folder holding domains/ above it); "
                + "lint a catalog folder, a folder inside one, or a file inside one");
    }

    private static List<String> catalogFiles(CatalogSource source) {
        return Stream.concat(source.files(".odcs.yaml").stream(), source.files(".odps.yaml").stream())
                .sorted()
                .toList();
    }
}
