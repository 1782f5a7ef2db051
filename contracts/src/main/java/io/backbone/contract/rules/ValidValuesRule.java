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
    protected Object parameters() {
        return valid;
    }

    @Override
    protected String celTest(String v) {
        // an enum symbol is compared by its name
        boolean symbol = field().leafSchema().getType() == org.apache.avro.Schema.Type.ENUM;
        return (symbol ? "string(" + v + ")" : v) + " in ["
                + String.join(
                        ", ", valid.stream().sorted().map(ValueRule::quote).toList()) + "]";
    }

    @Override
    protected String test(Object value) {
        return valid.contains(value.toString()) ? null : show(value) + " is not one of the valid values";
    }
}
