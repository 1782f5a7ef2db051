package io.backbone.contract.rules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A checked CEL expression compiled into a tree of Java closures, for the shapes contract rules use: literals,
 * variables, field selection and {@code has()}, indexing, arithmetic, comparisons, logic, {@code size}, {@code in},
 * string tests, {@code sum} and the comprehension macros ({@code map}, {@code all}, {@code exists}, {@code filter},
 * {@code exists_one}).
 *
 * <p>It exists because CEL's interpreter cost over a microsecond per rule on records declared as
 * {@code map(string, dyn)} (overloads resolved on every call). It never decides anything the interpreter would decide
 * differently: it produces a value only on the plain path (operand types as expected, no error); on anything else
 * (an absent field, an overflow, a type it does not handle, an error CEL's logic operators might absorb) it gives up
 * with {@link #FALLBACK} and the caller asks the interpreter, whose answer is the authority. An expression with a
 * shape outside this list is not compiled at all ({@link #compile} returns empty).
 */
final class CelFastPath {
    /** Thrown by a node when the interpreter must decide. Preallocated: no stack trace, no allocation. */
    static final RuntimeException FALLBACK =
            new RuntimeException("evaluate with the CEL interpreter", null, false, false) {};

    /** One compiled node; {@code frame} holds the variables, then the comprehensions' variables. */
    interface Node {
        Object eval(Object[] frame);
    }

    private final Map<String, Integer> slots = new HashMap<>();
    private final CelAbstractSyntaxTree ast;
    private int frameSize;

    private CelFastPath(CelAbstractSyntaxTree ast, List<String> variables) {
        this.ast = ast;
        for (String v : variables) {
            slots.put(v, frameSize++);
        }
    }

    /** The compiled expression and the frame size it needs, or empty when it uses a shape not handled here. */
    static Optional<Compiled> compile(CelAbstractSyntaxTree ast, List<String> variables) {
        CelFastPath compiler = new CelFastPath(ast, variables);
        try {
            Node root = compiler.node(ast.getExpr());
            return Optional.of(new Compiled(root, compiler.frameSize));
        } catch (Unsupported e) {
            return Optional.empty();
        }
    }

    record Compiled(Node root, int frameSize) {}

    private static final class Unsupported extends Exception {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private Node node(CelExpr e) throws Unsupported {
        return switch (e.getKind()) {
            case CONSTANT -> constant(e.constant());
            case IDENT -> variable(e.ident().name());
            case SELECT -> select(e);
            case CALL -> call(e);
            case LIST -> list(e);
            case COMPREHENSION -> comprehension(e);
            default -> throw new Unsupported();
        };
    }

    private static Node constant(CelConstant c) throws Unsupported {
        Object v =
                switch (c.getKind()) {
                    case BOOLEAN_VALUE -> c.booleanValue();
                    case INT64_VALUE -> c.int64Value();
                    case DOUBLE_VALUE -> c.doubleValue();
                    case STRING_VALUE -> c.stringValue();
                    default -> throw new Unsupported();
                };
        return frame -> v;
    }

    private Node variable(String name) throws Unsupported {
        Integer slot = slots.get(name);
        if (slot == null) {
            throw new Unsupported();
        }
        int i = slot;
        return frame -> {
            Object v = frame[i];
            if (v == null) {
                throw FALLBACK;
            }
            return v;
        };
    }

    private Node select(CelExpr e) throws Unsupported {
        if (ast.getReference(e.id()).isPresent()) {
            throw new Unsupported(); // a qualified name the checker resolved, not a field selection
        }
        Node operand = node(e.select().operand());
        FieldReader field = new FieldReader(e.select().field());
        if (e.select().testOnly()) {
            return frame -> field.present(operand.eval(frame));
        }
        return frame -> {
            Object v = field.read(operand.eval(frame));
            if (v == null) {
                throw FALLBACK;
            }
            return v;
        };
    }

    /** Reads one field of a record view (remembering its position per schema) or a map; null when absent. */
    private static final class FieldReader {
        private final String name;
        private volatile Position last = new Position(null, -1);

        private record Position(Schema schema, int pos) {}

        FieldReader(String name) {
            this.name = name;
        }

        boolean present(Object target) {
            if (target instanceof Map<?, ?> map && !(target instanceof RecordView)) {
                return map.containsKey(name);
            }
            return read(target) != null;
        }

        Object read(Object target) {
            if (target instanceof RecordView view) {
                Schema schema = view.schema();
                Position p = last;
                if (p.schema() != schema) {
                    Schema.Field f = schema.getField(name);
                    p = new Position(schema, f == null ? -1 : f.pos());
                    last = p;
                }
                return p.pos() < 0 ? null : view.at(p.pos());
            }
            if (target instanceof Map<?, ?> map) {
                return map.get(name);
            }
            throw FALLBACK;
        }
    }

    private Node list(CelExpr e) throws Unsupported {
        if (!e.list().optionalIndices().isEmpty()) {
            throw new Unsupported();
        }
        List<Node> elements = new ArrayList<>();
        for (CelExpr element : e.list().elements()) {
            elements.add(node(element));
        }
        Node[] items = elements.toArray(Node[]::new);
        return frame -> {
            List<Object> out = new ArrayList<>(items.length);
            for (Node item : items) {
                out.add(item.eval(frame));
            }
            return out;
        };
    }

    private Node call(CelExpr e) throws Unsupported {
        String function = e.call().function();
        List<CelExpr> args = new ArrayList<>();
        e.call().target().ifPresent(args::add);
        args.addAll(e.call().args());
        Node[] a = new Node[args.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = node(args.get(i));
        }
        if (a.length == 1) {
            Node x = a[0];
            return switch (function) {
                case "!_" -> frame -> !bool(x.eval(frame));
                case "-_" -> frame -> negate(x.eval(frame));
                case "size" -> frame -> size(x.eval(frame));
                case "sum" -> frame -> sum(x.eval(frame));
                case "dyn" -> x;
                case "@not_strictly_false" ->
                    frame -> {
                        Object v = x.eval(frame);
                        if (v instanceof Boolean b) {
                            return b;
                        }
                        throw FALLBACK;
                    };
                default -> throw new Unsupported();
            };
        }
        if (a.length == 2) {
            Node x = a[0];
            Node y = a[1];
            return switch (function) {
                case "_&&_" -> frame -> bool(x.eval(frame)) && bool(y.eval(frame));
                case "_||_" -> frame -> bool(x.eval(frame)) || bool(y.eval(frame));
                case "_==_" -> frame -> equal(x.eval(frame), y.eval(frame));
                case "_!=_" -> frame -> !equal(x.eval(frame), y.eval(frame));
                case "_<_" -> frame -> compare(x.eval(frame), y.eval(frame)) < 0;
                case "_<=_" -> frame -> compare(x.eval(frame), y.eval(frame)) <= 0;
                case "_>_" -> frame -> compare(x.eval(frame), y.eval(frame)) > 0;
                case "_>=_" -> frame -> compare(x.eval(frame), y.eval(frame)) >= 0;
                case "_+_" -> frame -> add(x.eval(frame), y.eval(frame));
                case "_-_" -> frame -> subtract(x.eval(frame), y.eval(frame));
                case "_*_" -> frame -> multiply(x.eval(frame), y.eval(frame));
                case "_/_" -> frame -> divide(x.eval(frame), y.eval(frame));
                case "_%_" -> frame -> remainder(x.eval(frame), y.eval(frame));
                case "_[_]" -> frame -> index(x.eval(frame), y.eval(frame));
                case "@in" -> frame -> in(x.eval(frame), y.eval(frame));
                case "startsWith" -> frame -> string(x.eval(frame)).startsWith(string(y.eval(frame)));
                case "endsWith" -> frame -> string(x.eval(frame)).endsWith(string(y.eval(frame)));
                case "contains" -> frame -> string(x.eval(frame)).contains(string(y.eval(frame)));
                default -> throw new Unsupported();
            };
        }
        if (a.length == 3 && function.equals("_?_:_")) {
            Node c = a[0];
            Node t = a[1];
            Node f = a[2];
            return frame -> bool(c.eval(frame)) ? t.eval(frame) : f.eval(frame);
        }
        throw new Unsupported();
    }

    private Node comprehension(CelExpr e) throws Unsupported {
        CelExpr.CelComprehension c = e.comprehension();
        if (!c.iterVar2().isEmpty()) {
            throw new Unsupported();
        }
        Node range = node(c.iterRange());
        int iter = frameSize++;
        int accu = frameSize++;
        // nested macros reuse the accumulator's name: the inner one shadows the outer while it is compiled
        Integer outerIter = slots.put(c.iterVar(), iter);
        Integer outerAccu = slots.put(c.accuVar(), accu);
        try {
            // map and filter grow their result list with `accu + [x]`: appended in place to a list only they see
            boolean appends = isEmptyList(c.accuInit());
            Node init = appends ? null : node(c.accuInit());
            Node condition = node(c.loopCondition());
            Node step = appends ? appendingStep(c.loopStep(), c.accuVar()) : node(c.loopStep());
            Node result = node(c.result());
            return frame -> {
                Object r = range.eval(frame);
                if (!(r instanceof List<?> items)) {
                    throw FALLBACK;
                }
                frame[accu] = appends ? new ArrayList<>(items.size()) : init.eval(frame);
                for (int i = 0, n = items.size(); i < n; i++) {
                    if (!bool(condition.eval(frame))) {
                        break;
                    }
                    frame[iter] = items.get(i);
                    frame[accu] = step.eval(frame);
                }
                Object out = result.eval(frame);
                frame[iter] = null;
                frame[accu] = null;
                return out;
            };
        } finally {
            restore(c.iterVar(), outerIter);
            restore(c.accuVar(), outerAccu);
        }
    }

    private void restore(String name, Integer outer) {
        if (outer == null) {
            slots.remove(name);
        } else {
            slots.put(name, outer);
        }
    }

    private static boolean isEmptyList(CelExpr e) {
        return e.getKind() == CelExpr.ExprKind.Kind.LIST && e.list().elements().isEmpty();
    }

    /**
     * The step of a comprehension whose accumulator starts as {@code []}: {@code accu + [x]} appends, a conditional
     * picks between such steps and {@code accu}; any other step is not handled.
     */
    private Node appendingStep(CelExpr step, String accuVar) throws Unsupported {
        if (isAccu(step, accuVar)) {
            int slot = slots.get(accuVar);
            return frame -> frame[slot];
        }
        if (step.getKind() != CelExpr.ExprKind.Kind.CALL) {
            throw new Unsupported();
        }
        CelExpr.CelCall call = step.call();
        if (call.function().equals("_?_:_") && call.args().size() == 3) {
            Node c = node(call.args().get(0));
            Node t = appendingStep(call.args().get(1), accuVar);
            Node f = appendingStep(call.args().get(2), accuVar);
            return frame -> bool(c.eval(frame)) ? t.eval(frame) : f.eval(frame);
        }
        if (call.function().equals("_+_")
                && call.args().size() == 2
                && isAccu(call.args().get(0), accuVar)
                && call.args().get(1).getKind() == CelExpr.ExprKind.Kind.LIST
                && call.args().get(1).list().elements().size() == 1) {
            int slot = slots.get(accuVar);
            Node element = node(call.args().get(1).list().elements().get(0));
            return frame -> {
                @SuppressWarnings("unchecked")
                List<Object> accu = (List<Object>) frame[slot];
                accu.add(element.eval(frame));
                return accu;
            };
        }
        throw new Unsupported();
    }

    private static boolean isAccu(CelExpr e, String accuVar) {
        return e.getKind() == CelExpr.ExprKind.Kind.IDENT && e.ident().name().equals(accuVar);
    }

    // --- operations on the plain path; anything else falls back ---

    static boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw FALLBACK;
    }

    static String string(Object v) {
        if (v instanceof String s) {
            return s;
        }
        throw FALLBACK;
    }

    static boolean equal(Object x, Object y) {
        if (x instanceof Long a && y instanceof Long b) {
            return a.longValue() == b.longValue();
        }
        if (x instanceof Double a && y instanceof Double b) {
            return a.doubleValue() == b.doubleValue();
        }
        if (x instanceof String a && y instanceof String b) {
            return a.equals(b);
        }
        if (x instanceof Boolean a && y instanceof Boolean b) {
            return a.booleanValue() == b.booleanValue();
        }
        if (x instanceof List<?> a && y instanceof List<?> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0, n = a.size(); i < n; i++) {
                Object p = a.get(i);
                Object q = b.get(i);
                if (p == null || q == null) {
                    throw FALLBACK;
                }
                if (!equal(p, q)) {
                    return false;
                }
            }
            return true;
        }
        throw FALLBACK;
    }

    static int compare(Object x, Object y) {
        if (x instanceof Long a && y instanceof Long b) {
            return Long.compare(a, b);
        }
        if (x instanceof Double a && y instanceof Double b && !a.isNaN() && !b.isNaN()) {
            return a < b ? -1 : (a > b ? 1 : 0);
        }
        throw FALLBACK;
    }

    static Object negate(Object x) {
        if (x instanceof Long a && a != Long.MIN_VALUE) {
            return -a;
        }
        if (x instanceof Double a) {
            return -a;
        }
        throw FALLBACK;
    }

    static Object add(Object x, Object y) {
        try {
            if (x instanceof Long a && y instanceof Long b) {
                return Math.addExact(a, b);
            }
        } catch (ArithmeticException overflow) {
            throw FALLBACK;
        }
        if (x instanceof Double a && y instanceof Double b) {
            return a + b;
        }
        if (x instanceof String a && y instanceof String b) {
            return a + b;
        }
        if (x instanceof List<?> a && y instanceof List<?> b) {
            List<Object> out = new ArrayList<>(a.size() + b.size());
            out.addAll(a);
            out.addAll(b);
            return out;
        }
        throw FALLBACK;
    }

    static Object subtract(Object x, Object y) {
        try {
            if (x instanceof Long a && y instanceof Long b) {
                return Math.subtractExact(a, b);
            }
        } catch (ArithmeticException overflow) {
            throw FALLBACK;
        }
        if (x instanceof Double a && y instanceof Double b) {
            return a - b;
        }
        throw FALLBACK;
    }

    static Object multiply(Object x, Object y) {
        try {
            if (x instanceof Long a && y instanceof Long b) {
                return Math.multiplyExact(a, b);
            }
        } catch (ArithmeticException overflow) {
            throw FALLBACK;
        }
        if (x instanceof Double a && y instanceof Double b) {
            return a * b;
        }
        throw FALLBACK;
    }

    static Object divide(Object x, Object y) {
        if (x instanceof Long a && y instanceof Long b && b != 0 && !(a == Long.MIN_VALUE && b == -1)) {
            return a / b;
        }
        if (x instanceof Double a && y instanceof Double b) {
            return a / b;
        }
        throw FALLBACK;
    }

    static Object remainder(Object x, Object y) {
        if (x instanceof Long a && y instanceof Long b && b != 0 && !(a == Long.MIN_VALUE && b == -1)) {
            return a % b;
        }
        throw FALLBACK;
    }

    static Object size(Object x) {
        if (x instanceof String s) {
            return (long) s.codePointCount(0, s.length());
        }
        if (x instanceof List<?> l) {
            return (long) l.size();
        }
        if (x instanceof Map<?, ?> m && !(m instanceof RecordView)) {
            return (long) m.size();
        }
        throw FALLBACK;
    }

    static Object index(Object x, Object i) {
        if (x instanceof List<?> l && i instanceof Long n && n >= 0 && n < l.size()) {
            Object v = l.get((int) (long) n);
            if (v != null) {
                return v;
            }
        }
        if (x instanceof Map<?, ?> m && !(m instanceof RecordView) && i instanceof String key) {
            Object v = m.get(key);
            if (v != null) {
                return v;
            }
        }
        throw FALLBACK;
    }

    static boolean in(Object x, Object container) {
        if (!(container instanceof List<?> l)) {
            throw FALLBACK;
        }
        for (int i = 0, n = l.size(); i < n; i++) {
            Object e = l.get(i);
            if (e == null || e.getClass() != x.getClass()) {
                throw FALLBACK;
            }
            if (equal(x, e)) {
                return true;
            }
        }
        return false;
    }

    /** {@code sum(list)}, as {@link CelEnvironment} binds it for the interpreter. */
    static Object sum(Object x) {
        if (!(x instanceof List<?> l)) {
            throw FALLBACK;
        }
        long longs = 0;
        double doubles = 0;
        boolean anyDouble = false;
        for (int i = 0, n = l.size(); i < n; i++) {
            Object v = l.get(i);
            if (v instanceof Long a) {
                try {
                    longs = Math.addExact(longs, a);
                } catch (ArithmeticException overflow) {
                    throw FALLBACK;
                }
            } else if (v instanceof Double d) {
                doubles += d;
                anyDouble = true;
            } else {
                throw FALLBACK;
            }
        }
        return anyDouble ? (Object) (doubles + longs) : (Object) longs;
    }
}
