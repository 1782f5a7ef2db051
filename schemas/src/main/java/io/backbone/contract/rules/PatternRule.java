package io.backbone.contract.rules;

import io.backbone.contract.FieldPath;
import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import java.util.regex.Pattern;

/** A string value matches a regular expression (JSON Schema semantics: found anywhere unless anchored). */
public final class PatternRule extends ValueRule {
    private final Pattern pattern;
    private final String what;

    public PatternRule(
            String check, FieldPath field, Pattern pattern, String what, Stage stage, Severity severity, boolean pii) {
        super(check, field, stage, severity, pii);
        this.pattern = pattern;
        this.what = what;
    }

    @Override
    protected String test(Object value) {
        return pattern.matcher(value.toString()).find() ? null : show(value) + " is not " + what;
    }
}
