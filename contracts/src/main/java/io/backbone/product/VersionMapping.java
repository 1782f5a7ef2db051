package io.backbone.product;

import com.fasterxml.jackson.databind.JsonNode;
import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import io.backbone.contract.CompiledContract;
import io.backbone.contract.FieldPath;
import io.backbone.contract.PropertySpec;
import io.backbone.contract.RuleContext;
import io.backbone.contract.rules.CelEnvironment;
import io.backbone.contract.rules.CelExpression;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * An output port whose record differs from its input's: typically an older major of a product, kept in its old shape
 * while the producer has moved on to a new raw schema. Each top-level field of the output schema takes its value from
 * the property's {@code source} (a CEL expression over {@code record}, the raw event: a field {@code record.total.
 * amountMinor}, a constant {@code 'EUR'}, or any expression), else from the input field of the same name, else from
 * the Avro default. Compiled and type-checked when the catalog loads; applied after the input's rules and before the
 * output's.
 */
public final class VersionMapping {
    public static final String SOURCE = "source";
    private static final Pattern PLAIN_PATH = Pattern.compile("^record(\\.[A-Za-z_][A-Za-z0-9_]*)+$");

    /** Where one output field comes from: a field of the input ({@code path}) or an expression ({@code program}). */
    record FieldSource(
            String field,
            int position,
            Schema target,
            String expression,
            FieldPath path,
            CelExpression program,
            VersionMapping nested) {
        FieldSource(
                String field, int position, Schema target, String expression, FieldPath path, CelExpression program) {
            this(field, position, target, expression, path, program, null);
        }
    }

    private final Schema output;
    private final List<FieldSource> sources;
    /** The fields nothing maps, with their Avro defaults (position, value). */
    private final int[] defaultPositions;

    private final Object[] defaultValues;

    private VersionMapping(Schema output, List<FieldSource> sources) {
        this.output = output;
        this.sources = List.copyOf(sources);
        java.util.Set<Integer> mapped = new java.util.HashSet<>();
        sources.forEach(s -> mapped.add(s.position()));
        List<Schema.Field> rest = output.getFields().stream()
                .filter(f -> !mapped.contains(f.pos()))
                .toList();
        defaultPositions = rest.stream().mapToInt(Schema.Field::pos).toArray();
        defaultValues = rest.stream()
                // a field without a default is reported by compile() and never applied
                .map(f -> f.hasDefaultValue() ? GenericData.get().getDefaultValue(f) : null)
                .toArray();
    }

    /** Each mapped output field with the expression it comes from ({@code record.<field>} for a same-name copy). */
    public Map<String, String> expressions() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (FieldSource s : sources) {
            if (s.nested() == null) {
                out.put(s.field(), s.expression());
            } else {
                s.nested().expressions().forEach((field, expression) -> out.put(s.field() + "." + field, expression));
            }
        }
        return out;
    }

    /** A field the mapping could not fill for one record (an expression failed, a value does not fit). */
    public static final class MappingException extends Exception {
        private final String field;

        MappingException(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** The output record for the input record {@code raw}; {@code context} is the rule context reset to it. */
    public GenericRecord apply(GenericRecord raw, RuleContext context) throws MappingException {
        GenericData.Record out = new GenericData.Record(output);
        for (int i = 0; i < defaultPositions.length; i++) {
            out.put(defaultPositions[i], defaultValues[i]);
        }
        for (FieldSource s : sources) {
            Object value;
            if (s.nested() != null) {
                out.put(s.position(), s.nested().apply(raw, context));
                continue;
            }
            if (s.path() != null) {
                value = s.path().first(raw);
            } else {
                try {
                    value = s.program().eval(context.celView(), context.nowMillis());
                } catch (dev.cel.runtime.CelEvaluationException | RuntimeException e) {
                    throw new MappingException(
                            s.field(),
                            "source of '" + s.field() + "' (" + s.expression() + ") failed: " + e.getMessage());
                }
            }
            out.put(s.position(), convert(s, value));
        }
        return out;
    }

    private static Object convert(FieldSource s, Object v) throws MappingException {
        Schema target = FieldPath.nonNull(s.target());
        if (v == null || v.getClass().getSimpleName().equals("NullValue")) {
            if (nullable(s.target())) {
                return null;
            }
            throw new MappingException(s.field(), "source of '" + s.field() + "' is null; the field is required");
        }
        try {
            return switch (target.getType()) {
                case STRING -> v instanceof CharSequence ? v : String.valueOf(v);
                case LONG -> ((Number) v).longValue();
                case INT -> Math.toIntExact(((Number) v).longValue());
                case DOUBLE -> ((Number) v).doubleValue();
                case FLOAT -> ((Number) v).floatValue();
                case BOOLEAN -> (Boolean) v;
                case ENUM -> {
                    String symbol = v.toString();
                    if (!target.hasEnumSymbol(symbol)) {
                        throw new MappingException(
                                s.field(), "'" + symbol + "' is not a symbol of " + target.getFullName());
                    }
                    yield new GenericData.EnumSymbol(target, symbol);
                }
                // records, arrays and maps come from a field of the same schema (checked at load); copied,
                // because this major's corrections and masks must not reach the raw record other majors read
                case RECORD, ARRAY, MAP -> copy(target, v);
                default -> v;
            };
        } catch (ClassCastException | ArithmeticException e) {
            throw new MappingException(
                    s.field(),
                    "source of '" + s.field() + "' yields " + v.getClass().getSimpleName() + ", the field is "
                            + target.getType().getName());
        }
    }

    /** Whether {@code contract} declares a mapping: some property has a {@code source}. */
    public static boolean declared(CompiledContract contract) {
        return sourced(contract.contract().properties());
    }

    /**
     * Compiles the mapping from {@code input}'s records to {@code output}'s; null with problems (naming the output
     * contract's file, the field and the fix) when a field has no source or a source does not fit its field.
     */
    public static VersionMapping compile(CompiledContract input, CompiledContract output, List<Problem> problems) {
        int before = problems.size();
        Schema out = output.schema();
        List<FieldSource> sources = level(
                output.contract().document(),
                input.schema(),
                out,
                output.contract().properties(),
                "$.schema[0].properties",
                true,
                problems);
        return problems.size() > before ? null : new VersionMapping(out, sources);
    }

    /**
     * The sources of the fields of record {@code out} (the output schema, or a record inside it), declared by
     * {@code properties} (written at {@code here}). A record field without a source whose nested properties have
     * sources is built field by field; only top-level fields are copied from a same-name input field.
     */
    private static List<FieldSource> level(
            YamlDocument doc,
            Schema in,
            Schema out,
            List<PropertySpec> properties,
            String here,
            boolean top,
            List<Problem> problems) {
        Map<String, PropertySpec> declared = new HashMap<>();
        for (PropertySpec p : properties) {
            declared.put(p.name(), p);
        }
        List<FieldSource> sources = new ArrayList<>();
        for (Schema.Field f : out.getFields()) {
            PropertySpec p = declared.get(f.name());
            JsonNode source = p == null ? null : p.customProperties().get(SOURCE);
            String at = p == null ? here : p.yamlPath() + ".customProperties";
            if (source == null && p != null && sourced(p.children())) {
                Schema record = FieldPath.nonNull(f.schema());
                if (record.getType() != Schema.Type.RECORD) {
                    problems.add(doc.problem(
                            "mapping",
                            p.yamlPath() + ".properties",
                            "'" + f.name() + "' has properties with a source but is " + describe(f.schema()) + " in "
                                    + out.getFullName(),
                            "give sources to fields of a record, or a source to '" + f.name() + "' itself"));
                    continue;
                }
                int before = problems.size();
                List<FieldSource> inner =
                        level(doc, in, record, p.children(), p.yamlPath() + ".properties", false, problems);
                if (problems.size() > before) {
                    continue;
                }
                sources.add(new FieldSource(
                        f.name(), f.pos(), f.schema(), null, null, null, new VersionMapping(record, inner)));
                continue;
            }
            if (source == null) {
                Schema.Field same = top ? in.getField(f.name()) : null;
                if (same != null && fits(f.schema(), same.schema())) {
                    sources.add(new FieldSource(
                            f.name(),
                            f.pos(),
                            f.schema(),
                            "record." + f.name(),
                            FieldPath.resolve(in, f.name()),
                            null));
                } else if (!f.hasDefaultValue()) {
                    problems.add(doc.problem(
                            "mapping",
                            at,
                            "field '" + f.name() + "' of " + out.getFullName() + " has no source"
                                    + (same == null
                                            ? " and " + in.getFullName() + " has no field of that name"
                                            : ": " + in.getFullName() + "'s field of that name is "
                                                    + describe(same.schema()) + ", it is " + describe(f.schema())),
                            "add customProperties: [{property: source, value: <CEL over record, e.g. record." + f.name()
                                    + ">}] to '" + f.name() + "', or give the Avro field a default"));
                }
                continue;
            }
            String expression = source.asText();
            if (PLAIN_PATH.matcher(expression).matches()) {
                String path = expression.substring("record.".length());
                FieldPath fp;
                try {
                    fp = FieldPath.resolve(in, path);
                } catch (IllegalArgumentException e) {
                    problems.add(doc.problem(
                            "mapping",
                            at,
                            "source of '" + f.name() + "' reads " + expression + ": " + e.getMessage(),
                            "name a field of " + in.getFullName()));
                    continue;
                }
                Schema from = fp.leafNullable()
                        ? Schema.createUnion(Schema.create(Schema.Type.NULL), fp.leafSchema())
                        : fp.leafSchema();
                if (!fp.scalar() || !fits(f.schema(), from)) {
                    problems.add(doc.problem(
                            "mapping",
                            at,
                            "source of '" + f.name() + "' (" + expression + ") is " + describe(from) + ", the field is "
                                    + describe(f.schema()),
                            fp.leafNullable() && !nullable(f.schema())
                                    ? "it may be null: write has(...) ? " + expression + " : <default>, or make the"
                                            + " field nullable"
                                    : "map a field of that type, or convert it in CEL (string(), int(), …)"));
                    continue;
                }
                sources.add(new FieldSource(f.name(), f.pos(), f.schema(), expression, fp, null));
                continue;
            }
            CelExpression program;
            try {
                program = CelEnvironment.compileValue(expression, in);
            } catch (IllegalArgumentException e) {
                problems.add(doc.problem(
                        "mapping",
                        at,
                        "source of '" + f.name() + "' does not compile: "
                                + e.getMessage().replace('\n', ' '),
                        "write a CEL expression over record (the " + in.getFullName() + " event)"));
                continue;
            }
            String yields = yields(program, in);
            if (yields != null && !accepts(f.schema(), yields)) {
                problems.add(doc.problem(
                        "mapping",
                        at,
                        "source of '" + f.name() + "' (" + expression + ") yields " + yields + ", the field is "
                                + describe(f.schema()),
                        "convert it in CEL (string(), int(), double()), or map another field"));
                continue;
            }
            sources.add(new FieldSource(f.name(), f.pos(), f.schema(), expression, null, program));
        }
        for (PropertySpec p : properties) {
            if ((p.customProperties().containsKey(SOURCE) || sourced(p.children())) && out.getField(p.name()) == null) {
                problems.add(doc.problem(
                        "mapping",
                        p.yamlPath() + ".name",
                        "property '" + p.name() + "' has a source but " + out.getFullName() + " has no such field",
                        "name a field of " + out.getFullName()));
            }
        }
        return sources;
    }

    /** Whether any of {@code properties} (or one nested in them) has a source. */
    private static boolean sourced(List<PropertySpec> properties) {
        for (PropertySpec p : properties) {
            if (p.customProperties().containsKey(SOURCE) || sourced(p.children())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A copy of {@code value} in schema {@code target}: records field by field by name (a field the value lacks takes
     * its default), enum symbols in the target's enum; a value of the same schema is simply deep-copied.
     */
    @SuppressWarnings("unchecked")
    static Object copy(Schema target, Object value) {
        if (value == null) {
            return null;
        }
        Schema t = FieldPath.nonNull(target);
        switch (t.getType()) {
            case RECORD -> {
                GenericRecord from = (GenericRecord) value;
                if (from.getSchema().equals(t)) {
                    return GenericData.get().deepCopy(t, from);
                }
                GenericData.Record to = new GenericData.Record(t);
                for (Schema.Field f : t.getFields()) {
                    Schema.Field there = from.getSchema().getField(f.name());
                    to.put(
                            f.pos(),
                            there == null
                                    ? GenericData.get().getDefaultValue(f)
                                    : copy(f.schema(), from.get(there.pos())));
                }
                return to;
            }
            case ARRAY -> {
                java.util.Collection<Object> from = (java.util.Collection<Object>) value;
                GenericData.Array<Object> to = new GenericData.Array<>(from.size(), t);
                for (Object item : from) {
                    to.add(copy(t.getElementType(), item));
                }
                return to;
            }
            case MAP -> {
                Map<Object, Object> to = new java.util.LinkedHashMap<>();
                ((Map<Object, Object>) value).forEach((k, v) -> to.put(k, copy(t.getValueType(), v)));
                return to;
            }
            case ENUM -> {
                return new GenericData.EnumSymbol(t, value.toString());
            }
            default -> {
                return value;
            }
        }
    }

    /** Whether a value of schema {@code writer} can be stored in a field of schema {@code reader} as it is. */
    private static boolean fits(Schema reader, Schema writer) {
        Schema r = FieldPath.nonNull(reader);
        Schema w = FieldPath.nonNull(writer);
        if (nullable(writer) && !nullable(reader)) {
            return false;
        }
        if (r.getType() == Schema.Type.RECORD || r.getType() == Schema.Type.ARRAY || r.getType() == Schema.Type.MAP) {
            // the same schema, or one the values are copied into by field name (an older major's own record names)
            return r.equals(w)
                    || SchemaCompatibility.checkReaderWriterCompatibility(r, w).getType()
                            == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
        }
        if (r.getType() == Schema.Type.ENUM && w.getType() == Schema.Type.STRING
                || r.getType() == Schema.Type.STRING && w.getType() == Schema.Type.ENUM) {
            return true; // by symbol; an unknown one fails that record, in the DLQ
        }
        return SchemaCompatibility.checkReaderWriterCompatibility(r, w).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    /**
     * The type an expression yields: the checker's when it knows it, else that of its value on a sample record of
     * {@code in} (every field filled), else null (decided per record).
     */
    private static String yields(CelExpression program, Schema in) {
        String checked = program.resultType();
        if (!"dyn".equals(checked)) {
            return checked;
        }
        try {
            Object v = program.eval(CelEnvironment.view(sample(in)), 0L);
            if (v instanceof CharSequence) {
                return "string";
            }
            if (v instanceof Long || v instanceof Integer) {
                return "int";
            }
            if (v instanceof Double || v instanceof Float) {
                return "double";
            }
            if (v instanceof Boolean) {
                return "bool";
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean accepts(Schema field, String celType) {
        Schema t = FieldPath.nonNull(field);
        return switch (celType) {
            case "string" -> t.getType() == Schema.Type.STRING || t.getType() == Schema.Type.ENUM;
            case "int", "uint" ->
                t.getType() == Schema.Type.LONG
                        || t.getType() == Schema.Type.INT
                        || t.getType() == Schema.Type.DOUBLE
                        || t.getType() == Schema.Type.FLOAT;
            case "double" -> t.getType() == Schema.Type.DOUBLE || t.getType() == Schema.Type.FLOAT;
            case "bool" -> t.getType() == Schema.Type.BOOLEAN;
            case "null_type" -> nullable(field);
            default -> true;
        };
    }

    /** A record of {@code schema} with every field set (strings "x", numbers 1, the first enum symbol, one item). */
    static GenericRecord sample(Schema schema) {
        GenericData.Record r = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            r.put(f.pos(), sampleValue(FieldPath.nonNull(f.schema())));
        }
        return r;
    }

    private static Object sampleValue(Schema s) {
        return switch (s.getType()) {
            case STRING -> "x";
            case INT -> 1;
            case LONG -> 1L;
            case DOUBLE -> 1.0;
            case FLOAT -> 1.0f;
            case BOOLEAN -> true;
            case ENUM -> new GenericData.EnumSymbol(s, s.getEnumSymbols().get(0));
            case RECORD -> sample(s);
            case ARRAY -> new ArrayList<>(List.of(sampleValue(FieldPath.nonNull(s.getElementType()))));
            case MAP -> new HashMap<String, Object>();
            case BYTES -> java.nio.ByteBuffer.allocate(0);
            case FIXED -> new GenericData.Fixed(s);
            default -> null;
        };
    }

    private static boolean nullable(Schema s) {
        return s.getType() == Schema.Type.NULL
                || s.getType() == Schema.Type.UNION
                        && s.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL);
    }

    private static String describe(Schema s) {
        Schema t = FieldPath.nonNull(s);
        String name = t.getType() == Schema.Type.RECORD || t.getType() == Schema.Type.ENUM
                ? t.getType().getName() + " " + t.getFullName()
                : t.getLogicalType() == null
                        ? t.getType().getName()
                        : t.getType().getName() + "/" + t.getLogicalType().getName();
        return nullable(s) ? "nullable " + name : name;
    }
}
