package io.backbone.contract.rules;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * The CEL environment contract rules run in: {@code record} (the record as a map; absent optional fields are
 * absent keys, test them with {@code has()}), {@code nowMillis} (processing time), the standard macros, and
 * {@code sum(list)} for cross-field totals, and CEL's string extension ({@code trim()}, {@code lowerAscii()}, …).
 */
public final class CelEnvironment {
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            // CEL's string extension (trim, lowerAscii, upperAscii, …): Confluent's executors register it too
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings())
            .addVar("record", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("nowMillis", SimpleType.INT)
            .addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration(
                    "sum",
                    CelOverloadDecl.newGlobalOverload("sum_list", SimpleType.DYN, ListType.create(SimpleType.DYN))))
            .addFunctionBindings(CelFunctionBinding.from("sum_list", List.class, CelEnvironment::sum))
            .build();

    /** For join products: output fields computed from {@code left} and {@code right}, the two joined records. */
    private static final Cel JOIN = CEL.toCelBuilder()
            .addVar("left", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("right", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .build();

    /** The variables in the order {@link CelExpression#eval} binds them. */
    private static final List<String> VARIABLES = List.of("record", "nowMillis");

    private static final List<String> JOIN_VARIABLES = List.of("record", "nowMillis", "left", "right");

    private CelEnvironment() {}

    /** Compiles an expression over the joined records {@code left} and {@code right}, checking the fields it reads. */
    public static CelExpression compileJoin(
            String expression, org.apache.avro.Schema left, org.apache.avro.Schema right) {
        return compile(JOIN, JOIN_VARIABLES, expression, Map.of("left", left, "right", right), false);
    }

    /**
     * Compiles and type-checks {@code expression}, and checks that every field it reads exists in {@code schema};
     * throws IllegalArgumentException with CEL's own message or the missing fields.
     */
    public static CelExpression compile(String expression, org.apache.avro.Schema schema) {
        return compile(CEL, VARIABLES, expression, Map.of("record", schema), true);
    }

    /**
     * Compiles an expression over {@code record} that yields a value (not necessarily a bool): a version mapping's
     * {@code source}. The result type is the checker's ({@link CelExpression#resultType()}), often dyn.
     */
    public static CelExpression compileValue(String expression, org.apache.avro.Schema schema) {
        return compile(CEL, VARIABLES, expression, Map.of("record", schema), false);
    }

    /**
     * The field paths of {@code record} that {@code expression} reads, from its checked syntax tree ({@code ""}: all
     * of it); see {@link CelReads}. The expression must compile against {@code schema}.
     */
    public static java.util.Set<String> reads(String expression, org.apache.avro.Schema schema) {
        CelValidationResult result = CEL.compile(expression);
        if (result.hasError()) {
            throw new IllegalArgumentException(result.getErrorString());
        }
        try {
            return CelReads.of(result.getAst().getExpr(), "record");
        } catch (CelValidationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static CelExpression compile(
            Cel cel,
            List<String> declared,
            String expression,
            Map<String, org.apache.avro.Schema> variables,
            boolean mustBeBool) {
        CelValidationResult result = cel.compile(expression);
        if (result.hasError()) {
            throw new IllegalArgumentException(result.getErrorString());
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            java.util.Set<String> missing = CelFieldCheck.missingFields(ast.getExpr(), variables);
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(
                        "reads fields the record does not have: " + String.join("; ", missing));
            }
            if (mustBeBool
                    && !ast.getResultType().equals(SimpleType.BOOL)
                    && !ast.getResultType().equals(SimpleType.DYN)) {
                throw new IllegalArgumentException(
                        "the expression yields " + ast.getResultType() + ", a rule must yield a bool");
            }
            return new CelExpression(
                    expression,
                    declared,
                    cel.createProgram(ast),
                    CelFastPath.compile(ast, declared).orElse(null),
                    ast.getResultType().name());
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Object sum(List<?> values) {
        long longs = 0;
        double doubles = 0;
        boolean anyDouble = false;
        for (Object v : values) {
            if (v instanceof Double d) {
                doubles += d;
                anyDouble = true;
            } else if (v instanceof Number n) {
                longs = Math.addExact(longs, n.longValue());
            }
        }
        return anyDouble ? (Object) (doubles + longs) : (Object) longs;
    }

    /** The record as CEL sees it: a lazy read-only view (see {@link RecordView}). */
    public static Map<String, Object> view(GenericRecord record) {
        return new RecordView(record);
    }
}
