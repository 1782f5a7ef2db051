package io.backbone.contract.rules;

import io.backbone.contract.FieldPath;
import io.backbone.contract.Severity;
import io.backbone.contract.Stage;

/** ODCS {@code required: true} (and the {@code nullValues} metric): the value is present. */
public final class RequiredRule extends ValueRule {
    public RequiredRule(String check, FieldPath field, Stage stage, Severity severity) {
        super(check, field, stage, severity, false);
    }

    @Override
    protected boolean checksNull() {
        return true;
    }

    @Override
    protected String celTest(String v) {
        return present(v);
    }

    @Override
    protected String test(Object value) {
        return value == null ? "is required but missing" : null;
    }
}
