package io.backbone.cli;

import io.backbone.catalog.CatalogSource;
import io.backbone.catalog.Problem;
import io.backbone.governance.GovernancePolicy;
import io.backbone.governance.Linter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Checks catalogs against the ODCS/ODPS JSON Schemas and the global governance policy, as CI does. */
@Command(
        name = "lint",
        description =
                "Check catalog folders (domains/ and avro/) against the ODCS/ODPS JSON Schemas and the governance "
                        + "policy. Prints file:line: policy: message for every problem; exit status 1 if there is any.")
final class LintCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CATALOG", arity = "0..*", description = "Catalog folders (default: the shipped catalog).")
    List<Path> catalogs = new ArrayList<>();

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "Governance policy file (default: the shipped policy.yaml).")
    Path policyFile;

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
        List<CatalogSource> sources = catalogs.isEmpty()
                ? List.of(CatalogSource.classpath())
                : catalogs.stream().map(CatalogSource::directory).toList();
        int problems = 0;
        for (CatalogSource source : sources) {
            List<Problem> found = Linter.lint(source, policy);
            found.forEach(p -> System.out.println(p.lintLine()));
            problems += found.size();
        }
        System.err.println(problems == 0 ? "lint: no problems" : "lint: " + problems + " problem(s)");
        return problems == 0 ? 0 : 1;
    }
}
