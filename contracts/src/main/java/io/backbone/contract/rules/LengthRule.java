package io.backbone.contract.rules;

import io.backbone.contract.FieldPath;
import io.backbone.contract.Severity;
import io.backbone.contract.Stage;

/** ODCS {@code logicalTypeOptions} minLength / maxLength, counted in characters. */
public final class LengthRule extends ValueRule {
    private final int limit;
    private final boolean min;

    public LengthRule(FieldPath field, int limit, boolean min, Severity severity, boolean pii) {
        super(min ? "minLength" : "maxLength", field, Stage.SCHEMA, severity, pii);
        this.limit = limit;
        this.min = min;
    }

    @Override
    protected String celTest(String v) {
        // CEL's size() of a string counts code points, as this rule does
        return "size(" + v + ") " + (min ? ">= " : "<= ") + limit;
    }

    @Override
    protected String test(Object value) {
        String s = value.toString();
        int length = s.codePointCount(0, s.length());
        if (min ? length >= limit : length <= limit) {
            return null;
        }
        return "length " + length + " is " + (min ? "below the minimum " : "above the maximum ") + limit;
    }
}
