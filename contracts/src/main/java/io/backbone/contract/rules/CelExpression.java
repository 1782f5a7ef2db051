package io.backbone.contract.rules;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.List;
import java.util.Optional;

/**
 * A compiled, type-checked CEL expression. It runs on the {@linkplain CelFastPath fast path} when its shape allows
 * and the record takes the plain path, and on CEL's interpreter otherwise; both give the same answer.
 */
public final class CelExpression {
    private final String source;
    private final List<String> variables;
    private final CelRuntime.Program program;
    private final CelFastPath.Compiled fast;
    private final String resultType;

    CelExpression(
            String source,
            List<String> variables,
            CelRuntime.Program program,
            CelFastPath.Compiled fast,
            String resultType) {
        this.source = source;
        this.variables = variables;
        this.program = program;
        this.fast = fast;
        this.resultType = resultType;
    }

    /** The type CEL's checker gives the result: {@code bool}, {@code string}, {@code int}, …, or {@code dyn}. */
    public String resultType() {
        return resultType;
    }

    public String source() {
        return source;
    }

    /** Whether the expression has a compiled fast path (otherwise every evaluation is interpreted). */
    public boolean compiled() {
        return fast != null;
    }

    /**
     * Evaluates the expression with {@code values} bound to the environment's variables in their declared order
     * ({@code record, nowMillis}, then {@code left, right} for joins); a null value leaves its variable unbound.
     */
    public Object eval(Object... values) throws CelEvaluationException {
        if (fast != null) {
            Object[] frame = new Object[fast.frameSize()];
            System.arraycopy(values, 0, frame, 0, values.length);
            try {
                return fast.root().eval(frame);
            } catch (RuntimeException e) {
                if (e != CelFastPath.FALLBACK) {
                    throw e;
                }
            }
        }
        return interpret(values);
    }

    /** The fast path's answer, or empty when it is not compiled or leaves the decision to the interpreter. */
    Optional<Object> fastOnly(Object... values) {
        if (fast == null) {
            return Optional.empty();
        }
        Object[] frame = new Object[fast.frameSize()];
        System.arraycopy(values, 0, frame, 0, values.length);
        try {
            return Optional.of(fast.root().eval(frame));
        } catch (RuntimeException e) {
            if (e != CelFastPath.FALLBACK) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** Evaluates with CEL's interpreter only: the reference the fast path is tested against. */
    public Object interpret(Object... values) throws CelEvaluationException {
        return program.eval(name -> {
            int i = variables.indexOf(name);
            return i < 0 || i >= values.length ? Optional.empty() : Optional.ofNullable(values[i]);
        });
    }

    @Override
    public String toString() {
        return source;
    }
}
