package io.backbone.contract.rules;

import io.backbone.contract.FieldPath;
import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import java.math.BigDecimal;

/** ODCS {@code logicalTypeOptions} minimum / maximum and their exclusive forms, for numbers. */
public final class RangeRule extends ValueRule {
    private final BigDecimal bound;
    private final boolean lower;
    private final boolean exclusive;
    private final double boundAsDouble;

    public RangeRule(
            FieldPath field, BigDecimal bound, boolean lower, boolean exclusive, Severity severity, boolean pii) {
        super(
                (exclusive ? "exclusive" : "")
                        + (lower ? (exclusive ? "Minimum" : "minimum") : (exclusive ? "Maximum" : "maximum")),
                field,
                Stage.SCHEMA,
                severity,
                pii);
        this.bound = bound;
        this.lower = lower;
        this.exclusive = exclusive;
        this.boundAsDouble = bound.doubleValue();
    }

    @Override
    protected String celTest(String v) {
        org.apache.avro.Schema.Type type = field().leafSchema().getType();
        boolean integral = type == org.apache.avro.Schema.Type.INT || type == org.apache.avro.Schema.Type.LONG;
        String op = lower ? (exclusive ? ">" : ">=") : (exclusive ? "<" : "<=");
        if (integral && bound.stripTrailingZeros().scale() <= 0) {
            return v + " " + op + " " + bound.toBigInteger();
        }
        // CEL does not compare an int with a double: compare as doubles
        return (integral ? "double(" + v + ")" : v) + " " + op + " " + bound.toPlainString()
                + (bound.toPlainString().contains(".") ? "" : ".0");
    }

    @Override
    protected String test(Object value) {
        int cmp;
        if (value instanceof Long || value instanceof Integer) {
            cmp = Double.compare(((Number) value).longValue(), boundAsDouble);
        } else if (value instanceof Number n) {
            cmp = Double.compare(n.doubleValue(), boundAsDouble);
        } else {
            return "is not a number: " + show(value);
        }
        boolean ok = lower ? (exclusive ? cmp > 0 : cmp >= 0) : (exclusive ? cmp < 0 : cmp <= 0);
        if (ok) {
            return null;
        }
        String relation = lower ? (exclusive ? "greater than" : "at least") : (exclusive ? "less than" : "at most");
        return "must be " + relation + " " + bound.toPlainString() + ", was " + show(value);
    }
}
