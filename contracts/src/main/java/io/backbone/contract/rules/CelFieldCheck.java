package io.backbone.contract.rules;

import dev.cel.common.ast.CelExpr;
import io.backbone.contract.FieldPath;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Checks every field a CEL rule reads ({@code record.a.b}, and fields of list items bound by macros such as
 * {@code record.lines.map(l, l.sku)}) against the Avro schema, so that a rule naming a missing field fails at load
 * time rather than on every record.
 */
final class CelFieldCheck {
    private final Set<String> problems = new LinkedHashSet<>();

    private CelFieldCheck() {}

    /** The fields {@code expr} reads that its variables' schemas do not have, as messages; empty when all exist. */
    static Set<String> missingFields(CelExpr expr, Map<String, Schema> variables) {
        CelFieldCheck check = new CelFieldCheck();
        Map<String, Typed> scope = new HashMap<>();
        variables.forEach((name, schema) -> scope.put(name, new Typed(name, schema)));
        check.walk(expr, scope);
        return check.problems;
    }

    /** An expression's Avro type where known, with the path it was reached by. */
    private record Typed(String path, Schema schema) {}

    private void walk(CelExpr e, Map<String, Typed> scope) {
        switch (e.getKind()) {
            case SELECT -> resolve(e, scope);
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
            case COMPREHENSION -> {
                var c = e.comprehension();
                walk(c.iterRange(), scope);
                walk(c.accuInit(), scope);
                Map<String, Typed> inner = new HashMap<>(scope);
                Typed range = resolve(c.iterRange(), scope);
                Schema items = range == null ? null : FieldPath.nonNull(range.schema());
                if (items != null && items.getType() == Schema.Type.ARRAY) {
                    inner.put(c.iterVar(), new Typed(range.path() + "[]", items.getElementType()));
                } else {
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

    private Typed resolve(CelExpr e, Map<String, Typed> scope) {
        if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
            return scope.get(e.ident().name());
        }
        if (e.getKind() != CelExpr.ExprKind.Kind.SELECT) {
            walk(e, scope);
            return null;
        }
        Typed operand = resolve(e.select().operand(), scope);
        if (operand == null) {
            return null;
        }
        Schema s = FieldPath.nonNull(operand.schema());
        String field = e.select().field();
        String path = operand.path() + "." + field;
        if (s.getType() == Schema.Type.MAP) {
            return new Typed(path, s.getValueType());
        }
        if (s.getType() != Schema.Type.RECORD) {
            problems.add(operand.path() + " is a " + s.getType().getName() + ", it has no field '" + field + "'");
            return null;
        }
        Schema.Field f = s.getField(field);
        if (f == null) {
            problems.add(path + ": record " + s.getFullName() + " has no field '" + field + "' (fields: "
                    + s.getFields().stream().map(Schema.Field::name).toList() + ")");
            return null;
        }
        return new Typed(path, f.schema());
    }
}
