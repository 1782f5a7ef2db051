package io.backbone.contract.rules;

import dev.cel.runtime.CelEvaluationException;
import io.backbone.contract.RecordRule;
import io.backbone.contract.RuleContext;
import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import java.util.List;
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

    public Severity severity() {
        return severity;
    }

    public String expression() {
        return expression;
    }

    /** What only the backbone's CEL environment declares: Confluent's executor would not know it. */
    private static final java.util.regex.Pattern SUM = java.util.regex.Pattern.compile("\\bsum\\s*\\(");

    private static final java.util.regex.Pattern NOW = java.util.regex.Pattern.compile("\\bnowMillis\\b");
    private static final java.util.regex.Pattern RECORD = java.util.regex.Pattern.compile("\\brecord\\b");

    /** The expression over {@code message}, as Confluent's CEL executor names the record; null when not portable. */
    public String portableCel() {
        return SUM.matcher(expression).find() || NOW.matcher(expression).find()
                ? null
                : RECORD.matcher(expression).replaceAll("message");
    }

    /** Why {@link #portableCel()} is null. */
    public String notPortable() {
        List<String> uses = new java.util.ArrayList<>();
        if (SUM.matcher(expression).find()) {
            uses.add("sum()");
        }
        if (NOW.matcher(expression).find()) {
            uses.add("nowMillis");
        }
        return "it uses " + String.join(" and ", uses) + ", which only the backbone's CEL environment has";
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
