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

    public Severity severity() {
        return severity;
    }

    /**
     * Whether {@code other} checks exactly what this rule checks (same name, field, severity, stage and parameters):
     * a product contract may repeat a rule its raw contract already enforces, and a record is then checked, and
     * counted, once.
     */
    public boolean sameCheck(RecordRule other) {
        return other instanceof ValueRule v
                && v.getClass() == getClass()
                && v.name.equals(name)
                && v.field.path().equals(field.path())
                && v.severity == severity
                && v.stage == stage
                && parameters() != null
                && parameters().equals(v.parameters());
    }

    /** What the check is given (a set, a pattern), compared by {@link #sameCheck}; null: never the same. */
    protected Object parameters() {
        return null;
    }

    /**
     * This rule as a CEL condition over {@code message} (Confluent's name for the record) that holds when the record
     * passes, using only CEL's standard functions; null when the check has no portable form ({@link
     * #notPortable()} says why).
     */
    public String portableCel() {
        return portableCel(v -> v);
    }

    /**
     * As {@link #portableCel()}, testing {@code corrected.apply(v)} instead of each present value {@code v}: a rule
     * the backbone checks after a correction, with the correction in CEL (null when {@code corrected} gives null).
     */
    public String portableCel(java.util.function.UnaryOperator<String> corrected) {
        String[] segments = field.path().split("\\.");
        return cel("message", segments, 0, corrected);
    }

    private String cel(String prefix, String[] segments, int i, java.util.function.UnaryOperator<String> corrected) {
        String segment = segments[i];
        boolean array = segment.endsWith("[]");
        String name = array ? segment.substring(0, segment.length() - 2) : segment;
        String here = prefix + "." + name;
        boolean last = i == segments.length - 1;
        if (array) {
            String item = "x" + i;
            String inner = last ? valueCel(item, false, corrected) : cel(item, segments, i + 1, corrected);
            return inner == null ? null : here + ".all(" + item + ", " + inner + ")";
        }
        if (last) {
            return valueCel(here, field.leafNullable(), corrected);
        }
        String inner = cel(here, segments, i + 1, corrected);
        // a null parent holds no value: it passes, as in the backbone (the required check fails it)
        return inner == null
                ? null
                : checksNull() ? "(" + present(here) + " && " + inner + ")" : "(" + absent(here) + " || " + inner + ")";
    }

    private String valueCel(String v, boolean nullable, java.util.function.UnaryOperator<String> corrected) {
        String value = corrected.apply(v);
        String test = value == null ? null : celTest(value);
        if (test == null) {
            return null;
        }
        return nullable && !checksNull() ? "(" + absent(v) + " || " + test + ")" : test;
    }

    /**
     * That the field selected by {@code v} holds no value: executors show a null Avro field either as an absent key
     * or as a null one, and this holds for both.
     */
    protected static String absent(String v) {
        return v.contains(".") ? "!has(" + v + ") || " + v + " == null" : v + " == null";
    }

    /** That the field selected by {@code v} holds a value (the negation of {@link #absent}). */
    protected static String present(String v) {
        return v.contains(".") ? "has(" + v + ") && " + v + " != null" : v + " != null";
    }

    /** The condition on a present value {@code v} (a CEL expression), or null when there is no portable one. */
    protected String celTest(String v) {
        return null;
    }

    /** Why {@link #portableCel()} is null. */
    public String notPortable() {
        return "its check has no form in standard CEL";
    }

    /** {@code text} as a CEL string literal. */
    protected static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
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
