package io.backbone.contract.rules;

import dev.cel.runtime.CelEvaluationException;
import io.backbone.contract.RecordRule;
import io.backbone.contract.RuleContext;
import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import org.apache.avro.generic.GenericRecord;

/** An ODCS {@code type: custom, engine: cel} rule: a boolean CEL expression over {@code record} that must hold. */
public final class CelRule implements RecordRule {
    private final String name;
    private final String expression;
    private final CelExpression program;
    private final Severity severity;

    public CelRule(String name, String expression, CelExpression program, Severity severity) {
        this.name = name;
        this.expression = expression;
        this.program = program;
        this.severity = severity;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Violation check(GenericRecord record, RuleContext context) {
        Object result;
        try {
            result = program.eval(context.celView(), context.nowMillis());
        } catch (CelEvaluationException e) {
            return new Violation(
                    name,
                    "",
                    "could not be evaluated (" + e.getMessage() + "): " + expression,
                    severity,
                    Stage.QUALITY);
        }
        if (Boolean.TRUE.equals(result)) {
            return null;
        }
        if (result instanceof Boolean) {
            return new Violation(name, "", "does not hold: " + expression, severity, Stage.QUALITY);
        }
        return new Violation(name, "", "did not evaluate to a boolean: " + expression, severity, Stage.QUALITY);
    }
}
