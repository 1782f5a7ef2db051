package io.backbone.catalog;

/**
 * One thing wrong with a catalog file, with where it is and how to fix it; {@code policy} names the check that
 * found it (e.g. {@code odcs-schema}, {@code cel}, {@code pii-masking}).
 */
public record Problem(String file, int line, String field, String message, String fix, String policy, boolean warning) {

    public Problem(String file, int line, String field, String message, String fix, String policy) {
        this(file, line, field, message, fix, policy, false);
    }

    public Problem(String file, int line, String field, String message, String fix) {
        this(file, line, field, message, fix, "contract");
    }

    /** The same finding as a warning: reported, but it does not fail lint or stop start-up. */
    public Problem asWarning() {
        return new Problem(file, line, field, message, fix, policy, true);
    }
    /** The lint form: {@code file:line: policy: message (fix: …)}. */
    public String lintLine() {
        return file + ":" + Math.max(line, 1) + ": " + (warning ? "warning: " : "") + policy + ": " + message
                + (fix == null || fix.isEmpty() ? "" : " (fix: " + fix + ")");
    }

    /** {@code file:line: field: message (fix: …)}, the shape editors and CI logs link to. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(file);
        if (line > 0) {
            s.append(':').append(line);
        }
        s.append(": ");
        if (field != null && !field.isEmpty()) {
            s.append(field).append(": ");
        }
        s.append(message);
        if (fix != null && !fix.isEmpty()) {
            s.append(" (fix: ").append(fix).append(')');
        }
        return s.toString();
    }
}
