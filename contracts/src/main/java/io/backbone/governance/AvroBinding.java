package io.backbone.governance;

import io.backbone.catalog.Problem;
import io.backbone.catalog.YamlDocument;
import io.backbone.contract.DataContract;
import io.backbone.contract.PropertySpec;
import java.util.Collection;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Holds a contract against the Avro schema it binds, both ways, as any ODCS tool would read the pair: every Avro field
 * is declared, every property's {@code logicalType} (and {@code format}) fits its Avro type, and {@code required}
 * agrees with nullability. A property the Avro schema lacks is reported by the loader already.
 */
final class AvroBinding {
    static final String POLICY = "avro-binding";

    private AvroBinding() {}

    static void check(YamlDocument doc, DataContract contract, Schema schema, Collection<Problem> problems) {
        record(doc, contract.properties(), schema, "$.schema[0]", "", problems);
    }

    private static void record(
            YamlDocument doc,
            List<PropertySpec> properties,
            Schema record,
            String yamlPath,
            String prefix,
            Collection<Problem> problems) {
        for (Schema.Field f : record.getFields()) {
            if (properties.stream().noneMatch(p -> p.name().equals(f.name()))) {
                problems.add(doc.problem(
                        POLICY,
                        yamlPath,
                        "Avro field '" + prefix + f.name() + "' (" + describe(f.schema()) + ") is not declared",
                        "declare it: {name: " + f.name() + ", logicalType: " + odcsType(f.schema()) + ", required: "
                                + !nullable(f.schema()) + ", description: …}"));
            }
        }
        for (PropertySpec p : properties) {
            Schema.Field f = record.getField(p.name());
            if (f != null) {
                property(doc, p, f.schema(), prefix, problems);
            }
        }
    }

    private static void property(
            YamlDocument doc, PropertySpec p, Schema avro, String prefix, Collection<Problem> problems) {
        String where = prefix + p.name();
        boolean nullable = nullable(avro);
        Schema type = nonNull(avro);
        if (p.required() && nullable) {
            problems.add(doc.problem(
                    POLICY,
                    p.yamlPath(),
                    "'" + where + "' is required in the contract but nullable in Avro (" + describe(avro) + ")",
                    "make the Avro field non-null, or set required: false and add a quality rule {metric: nullValues,"
                            + " mustBe: 0} if nulls must be refused"));
        }
        if (!p.required() && !nullable) {
            problems.add(doc.problem(
                    POLICY,
                    p.yamlPath(),
                    "'" + where + "' is never null in Avro (" + describe(avro) + ") but not required in the contract",
                    "set required: true"));
        }
        String expected = odcsType(type);
        String declared = p.logicalType();
        if (declared == null || !declared.equals(expected)) {
            problems.add(doc.problem(
                    POLICY,
                    p.yamlPath() + ".logicalType",
                    "'" + where + "' is " + (declared == null ? "without a logicalType" : "'" + declared + "'")
                            + " in the contract but " + describe(type) + " in Avro",
                    "set logicalType: " + expected));
            return;
        }
        String format = p.logicalTypeOptions() == null
                ? null
                : p.logicalTypeOptions().path("format").asText(null);
        if ("integer".equals(expected)) {
            String needed = type.getType() == Schema.Type.LONG ? "i64" : "i32";
            String effective = format == null ? "i32" : format;
            if (!needed.equals(effective)) {
                problems.add(doc.problem(
                        POLICY,
                        p.yamlPath() + ".logicalTypeOptions",
                        "'" + where + "' is integer"
                                + (format == null ? " without a format (ODCS reads i32)" : " " + format)
                                + " in the contract but " + describe(type) + " in Avro",
                        "set logicalTypeOptions: {format: " + needed + "}"));
            }
        }
        if (type.getType() == Schema.Type.RECORD) {
            record(doc, p.children(), type, p.yamlPath(), where + ".", problems);
        } else if (type.getType() == Schema.Type.ARRAY) {
            Schema items = nonNull(type.getElementType());
            if (items.getType() == Schema.Type.RECORD) {
                record(doc, p.children(), items, p.yamlPath() + ".items", where + "[].", problems);
            }
        }
    }

    /** The ODCS logicalType an Avro type is read as. */
    static String odcsType(Schema avro) {
        Schema t = nonNull(avro);
        LogicalType logical = t.getLogicalType();
        if (logical instanceof LogicalTypes.Date) {
            return "date";
        }
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros) {
            return "timestamp";
        }
        return switch (t.getType()) {
            case INT, LONG -> "integer";
            case FLOAT, DOUBLE -> "number";
            case STRING, ENUM -> "string";
            case BOOLEAN -> "boolean";
            case RECORD -> "object";
            case ARRAY -> "array";
            default -> t.getType().getName();
        };
    }

    static boolean nullable(Schema avro) {
        return avro.getType() == Schema.Type.UNION
                && avro.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static Schema nonNull(Schema avro) {
        if (avro.getType() != Schema.Type.UNION) {
            return avro;
        }
        return avro.getTypes().stream()
                .filter(s -> s.getType() != Schema.Type.NULL)
                .findFirst()
                .orElse(avro);
    }

    private static String describe(Schema avro) {
        if (avro.getType() == Schema.Type.UNION) {
            return avro.getTypes().stream().map(AvroBinding::describe).toList().toString();
        }
        LogicalType logical = avro.getLogicalType();
        return avro.getType().getName() + (logical == null ? "" : " (" + logical.getName() + ")");
    }
}
