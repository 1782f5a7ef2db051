package io.backbone.contract;

import java.util.Locale;

/** What happens to a PII property on its way into a product whose audience is wider than its domain. */
public enum MaskingPolicy {
    /** Keyed HMAC-SHA256 with a secret salt: joinable, not reversible. */
    HASH("hash"),
    /** Replaced by a fixed marker. */
    REDACT("redact"),
    /** Removed (set to null); only for optional properties. */
    DROP("drop"),
    /** Passed through unchanged (the product's audience is allowed to see it). */
    KEEP("keep");

    private final String code;

    MaskingPolicy(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Parses a {@code masking} custom property; null for an unknown value. */
    public static MaskingPolicy parse(String value) {
        if (value == null) {
            return null;
        }
        for (MaskingPolicy p : values()) {
            if (p.code.equals(value.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        return null;
    }
}
