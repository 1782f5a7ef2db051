package io.backbone.contract.rules;

import dev.cel.runtime.CelEvaluationException;
import java.util.Map;
import org.apache.avro.Schema;

/** One field of a join product's record, computed by a CEL {@code source} expression over {@code left} and {@code right}. */
public record FieldMapping(String field, int position, Schema.Type type, String expression, CelExpression program) {

    /** The field's value for the joined pair, converted to the field's Avro type. */
    public Object evaluate(Map<String, Object> left, Map<String, Object> right) throws CelEvaluationException {
        Object v = program.eval(null, null, left, right);
        return switch (type) {
            case INT -> Math.toIntExact(((Number) v).longValue());
            case LONG -> ((Number) v).longValue();
            case DOUBLE -> ((Number) v).doubleValue();
            case FLOAT -> ((Number) v).floatValue();
            case BOOLEAN -> (Boolean) v;
            case STRING -> v.toString();
            default -> throw new IllegalStateException("field " + field + " of type " + type + " cannot be mapped");
        };
    }
}
