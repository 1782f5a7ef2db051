package io.backbone.contract.rules;

import dev.cel.common.ast.CelExpr;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The field paths of {@code record} a CEL expression reads, from its syntax tree: {@code record.a.b} and
 * {@code record['a'].b} read {@code a.b}; {@code record.address} reads all of {@code address}; items bound by macros
 * ({@code record.lines.map(l, l.sku)}) read {@code lines[].sku}; {@code record} itself, or an index that is not a
 * constant, reads all of what it is applied to. Used to decide what a mapping copies, whatever way it is written.
 */
final class CelReads {
    private final Set<String> reads = new LinkedHashSet<>();

    private CelReads() {}

    /** Paths below {@code variable}, without its name; {@code ""} when the expression reads all of it. */
    static Set<String> of(CelExpr expr, String variable) {
        CelReads r = new CelReads();
        Map<String, String> scope = new HashMap<>();
        scope.put(variable, "");
        r.walk(expr, scope);
        return r.reads;
    }

    private void walk(CelExpr e, Map<String, String> scope) {
        String path = path(e, scope);
        if (path != null) {
            reads.add(path);
            return;
        }
        switch (e.getKind()) {
            case SELECT -> walk(e.select().operand(), scope);
            case CALL -> {
                e.call().target().ifPresent(t -> walk(t, scope));
                e.call().args().forEach(a -> walk(a, scope));
            }
            case LIST -> e.list().elements().forEach(x -> walk(x, scope));
            case MAP ->
                e.map().entries().forEach(x -> {
                    walk(x.key(), scope);
                    walk(x.value(), scope);
                });
            case STRUCT -> e.struct().entries().forEach(x -> walk(x.value(), scope));
            case COMPREHENSION -> {
                var c = e.comprehension();
                walk(c.accuInit(), scope);
                Map<String, String> inner = new HashMap<>(scope);
                String range = path(c.iterRange(), scope);
                if (range != null) {
                    // the range itself is read through the loop variable: only what the loop reads of it counts
                    inner.put(c.iterVar(), range.isEmpty() ? "[]" : range + "[]");
                } else {
                    walk(c.iterRange(), scope);
                    inner.remove(c.iterVar());
                }
                inner.remove(c.accuVar());
                walk(c.loopCondition(), inner);
                walk(c.loopStep(), inner);
                walk(c.result(), inner);
            }
            default -> {}
        }
    }

    /** The path {@code e} stands for when it is a field chain rooted at a variable in scope; else null. */
    private String path(CelExpr e, Map<String, String> scope) {
        switch (e.getKind()) {
            case IDENT -> {
                return scope.get(e.ident().name());
            }
            case SELECT -> {
                String operand = path(e.select().operand(), scope);
                return operand == null ? null : join(operand, e.select().field());
            }
            case CALL -> {
                var call = e.call();
                if (call.function().equals("_[_]") && call.args().size() == 2) {
                    String operand = path(call.args().get(0), scope);
                    CelExpr key = call.args().get(1);
                    if (operand == null) {
                        return null;
                    }
                    if (key.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                            && key.constant().getKind() == dev.cel.common.ast.CelConstant.Kind.STRING_VALUE) {
                        return join(operand, key.constant().stringValue());
                    }
                    walk(key, scope);
                    return operand; // an index that is not a constant may read anything below the operand
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private static String join(String prefix, String field) {
        return prefix.isEmpty() ? field : prefix + "." + field;
    }
}
