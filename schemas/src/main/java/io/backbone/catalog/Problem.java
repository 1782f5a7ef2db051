package io.backbone.catalog;

/** One thing wrong with a catalog file, with where it is and how to fix it. */
public record Problem(String file, int line, String field, String message, String fix) {

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
