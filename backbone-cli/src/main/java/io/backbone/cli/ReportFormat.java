package io.backbone.cli;

import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/** How {@code lint} and {@code contract diff} print their findings: for people, for scripts, for CI test reports. */
enum ReportFormat {
    TEXT("text"),
    JSON("json"),
    JUNIT("junit");

    private final String code;

    ReportFormat(String code) {
        this.code = code;
    }

    static ReportFormat parse(String value) {
        for (ReportFormat f : values()) {
            if (f.code.equals(value.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new UsageException("--format " + value + ": choose one of "
                + Arrays.stream(values()).map(f -> f.code).toList());
    }

    /** Lets picocli parse {@code --format} with the message above. */
    static final class Converter implements ITypeConverter<ReportFormat> {
        @Override
        public ReportFormat convert(String value) {
            return parse(value);
        }
    }
}
