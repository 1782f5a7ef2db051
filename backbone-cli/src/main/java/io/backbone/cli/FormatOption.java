package io.backbone.cli;

import picocli.CommandLine.Option;

/** {@code --format text|json|junit}, shared by the commands whose findings CI reads. */
final class FormatOption {
    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            converter = ReportFormat.Converter.class,
            description = "text (for people), json (for scripts), or junit (JUnit XML for CI test reports).")
    ReportFormat format;
}
