package io.backbone.catalog;

import java.util.List;
import java.util.stream.Collectors;

/** The catalog cannot be used: every problem found, each naming its file, line, field and fix. */
public class CatalogException extends RuntimeException {
    private final List<Problem> problems;

    public CatalogException(List<Problem> problems) {
        super(problems.size() + " problem(s) in the contract catalog:\n"
                + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public CatalogException(Problem problem) {
        this(List.of(problem));
    }

    public List<Problem> problems() {
        return problems;
    }
}
