package io.backbone.contract.rules;

import io.backbone.contract.FieldPath;
import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import java.util.Set;

/** ODCS {@code invalidValues} with {@code validValues} (and enums): the value is one of a fixed set. */
public final class ValidValuesRule extends ValueRule {
    private final Set<String> valid;

    public ValidValuesRule(
            String check, FieldPath field, Set<String> valid, Stage stage, Severity severity, boolean pii) {
        super(check, field, stage, severity, pii);
        this.valid = Set.copyOf(valid);
    }

    @Override
    protected String test(Object value) {
        return valid.contains(value.toString()) ? null : show(value) + " is not one of the valid values";
    }
}
