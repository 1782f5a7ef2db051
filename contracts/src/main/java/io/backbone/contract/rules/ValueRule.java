package io.backbone.contract.rules;

import io.backbone.contract.FieldPath;
import io.backbone.contract.RecordRule;
import io.backbone.contract.RuleContext;
import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import org.apache.avro.generic.GenericRecord;

/** A rule about each value at one field path; null values pass unless the rule says otherwise. */
public abstract class ValueRule implements RecordRule {
    private final String name;
    private final FieldPath field;
    private final Stage stage;
    private final Severity severity;
    private final boolean pii;

    protected ValueRule(String check, FieldPath field, Stage stage, Severity severity, boolean pii) {
        this.name = field.path() + "." + check;
        this.field = field;
        this.stage = stage;
        this.severity = severity;
        this.pii = pii;
    }

    @Override
    public String name() {
        return name;
    }

    public FieldPath field() {
        return field;
    }

    @Override
    public Violation check(GenericRecord record, RuleContext context) {
        String failure = null;
        if (field.scalar()) {
            Object value = field.first(record);
            if (value != null || checksNull()) {
                failure = test(value);
            }
        } else {
            String[] first = new String[1];
            field.visit(record, value -> {
                if (first[0] == null && (value != null || checksNull())) {
                    first[0] = test(value);
                }
            });
            failure = first[0];
        }
        return failure == null ? null : new Violation(name, field.path(), failure, severity, stage);
    }

    /** Whether null values are tested too (only the required rule does). */
    protected boolean checksNull() {
        return false;
    }

    /** The failure message for {@code value}, or null when it passes. */
    protected abstract String test(Object value);

    /** The value as it may appear in a message: PII is never shown. */
    protected String show(Object value) {
        if (pii) {
            return "<redacted PII>";
        }
        String s = String.valueOf(value);
        return s.length() > 64 ? "'" + s.substring(0, 61) + "...'" : "'" + s + "'";
    }
}
