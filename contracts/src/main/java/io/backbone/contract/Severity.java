package io.backbone.contract;

import java.util.Locale;

/** How a failed rule is treated: an error sends the record to the DLQ, a warning lets it pass with a header. */
public enum Severity {
    ERROR("error"),
    WARNING("warning");

    private final String code;

    Severity(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Parses ODCS {@code severity}; absent means error. Returns null for a value it does not know. */
    public static Severity parse(String value) {
        if (value == null) {
            return ERROR;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "error" -> ERROR;
            case "warning", "warn" -> WARNING;
            default -> null;
        };
    }
}
