package io.backbone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * JSON to an Avro datum of a given schema, for records typed by hand. Takes both plain JSON (a union resolved by
 * the value: {@code "currency": "EUR"}) and Avro's JSON encoding ({@code "currency": {"string": "EUR"}}), and
 * timestamps as epoch milliseconds or ISO-8601 text. A value that does not fit names its JSON path.
 */
final class JsonToAvro {
    private JsonToAvro() {}

    /** {@code json} as a datum of {@code schema}; {@link IllegalArgumentException} names the path that does not fit. */
    static Object convert(JsonNode json, Schema schema) {
        return value(json, schema, "$");
    }

    private static Object value(JsonNode json, Schema schema, String path) {
        switch (schema.getType()) {
            case UNION -> {
                return union(json, schema, path);
            }
            case NULL -> {
                if (json == null || json.isNull()) {
                    return null;
                }
                throw mismatch(path, "null", json);
            }
            default -> {
                if (json == null || json.isNull()) {
                    throw new IllegalArgumentException(path + ": is required (type " + describe(schema) + ")");
                }
            }
        }
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case RECORD -> {
                if (!json.isObject()) {
                    throw mismatch(path, "an object (record " + schema.getName() + ")", json);
                }
                GenericData.Record record = new GenericData.Record(schema);
                for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (schema.getField(name) == null) {
                        throw new IllegalArgumentException(path + "." + name + ": no such field in "
                                + schema.getFullName() + " (fields: "
                                + schema.getFields().stream()
                                        .map(Schema.Field::name)
                                        .toList() + ")");
                    }
                }
                for (Schema.Field f : schema.getFields()) {
                    JsonNode v = json.get(f.name());
                    if (v == null && f.hasDefaultValue()) {
                        record.put(f.pos(), GenericData.get().getDefaultValue(f));
                    } else {
                        record.put(f.pos(), value(v, f.schema(), path + "." + f.name()));
                    }
                }
                return record;
            }
            case STRING -> {
                if (!json.isTextual()) {
                    throw mismatch(path, "a string", json);
                }
                return json.asText();
            }
            case ENUM -> {
                if (!json.isTextual() || !schema.hasEnumSymbol(json.asText())) {
                    throw mismatch(path, "one of " + schema.getEnumSymbols(), json);
                }
                return new GenericData.EnumSymbol(schema, json.asText());
            }
            case INT -> {
                if (logical instanceof LogicalTypes.Date && json.isTextual()) {
                    try {
                        return (int) LocalDate.parse(json.asText()).toEpochDay();
                    } catch (DateTimeParseException e) {
                        throw mismatch(path, "a date (yyyy-mm-dd) or days since 1970-01-01", json);
                    }
                }
                if (!json.canConvertToInt() || !json.isIntegralNumber()) {
                    throw mismatch(path, "an int", json);
                }
                return json.asInt();
            }
            case LONG -> {
                if (json.isTextual()
                        && (logical instanceof LogicalTypes.TimestampMillis
                                || logical instanceof LogicalTypes.TimestampMicros)) {
                    try {
                        Instant t = Instant.parse(json.asText());
                        return logical instanceof LogicalTypes.TimestampMillis
                                ? t.toEpochMilli()
                                : t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
                    } catch (DateTimeParseException e) {
                        throw mismatch(path, "a timestamp (ISO-8601, e.g. 2026-12-01T10:00:00Z) or a number", json);
                    }
                }
                if (!json.isIntegralNumber() || !json.canConvertToLong()) {
                    throw mismatch(path, "a long", json);
                }
                return json.asLong();
            }
            case FLOAT -> {
                if (!json.isNumber()) {
                    throw mismatch(path, "a number", json);
                }
                return (float) json.asDouble();
            }
            case DOUBLE -> {
                if (!json.isNumber()) {
                    throw mismatch(path, "a number", json);
                }
                return json.asDouble();
            }
            case BOOLEAN -> {
                if (!json.isBoolean()) {
                    throw mismatch(path, "true or false", json);
                }
                return json.asBoolean();
            }
            case BYTES -> {
                if (!json.isTextual()) {
                    throw mismatch(path, "a string (Avro JSON bytes: one character per byte)", json);
                }
                return ByteBuffer.wrap(json.asText().getBytes(StandardCharsets.ISO_8859_1));
            }
            case FIXED -> {
                byte[] bytes = json.asText().getBytes(StandardCharsets.ISO_8859_1);
                if (!json.isTextual() || bytes.length != schema.getFixedSize()) {
                    throw mismatch(path, schema.getFixedSize() + " bytes", json);
                }
                return new GenericData.Fixed(schema, bytes);
            }
            case ARRAY -> {
                if (!json.isArray()) {
                    throw mismatch(path, "an array", json);
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < json.size(); i++) {
                    items.add(value(json.get(i), schema.getElementType(), path + "[" + i + "]"));
                }
                return new GenericData.Array<>(schema, items);
            }
            case MAP -> {
                if (!json.isObject()) {
                    throw mismatch(path, "an object (map)", json);
                }
                Map<String, Object> map = new HashMap<>();
                json.fields()
                        .forEachRemaining(e -> map.put(
                                e.getKey(), value(e.getValue(), schema.getValueType(), path + "." + e.getKey())));
                return map;
            }
            default -> throw new IllegalArgumentException(path + ": type " + schema.getType() + " is not supported");
        }
    }

    private static Object union(JsonNode json, Schema union, String path) {
        if (json == null || json.isNull()) {
            if (union.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL)) {
                return null;
            }
            throw new IllegalArgumentException(path + ": is required (type " + describe(union) + ")");
        }
        if (json.isObject() && json.size() == 1) {
            String branch = json.fieldNames().next();
            for (Schema t : union.getTypes()) {
                if (branchName(t).equals(branch)) {
                    return value(json.get(branch), t, path);
                }
            }
        }
        List<String> tried = new ArrayList<>();
        for (Schema t : union.getTypes()) {
            if (t.getType() == Schema.Type.NULL) {
                continue;
            }
            try {
                return value(json, t, path);
            } catch (IllegalArgumentException e) {
                tried.add(e.getMessage());
            }
        }
        throw new IllegalArgumentException(
                tried.size() == 1 ? tried.get(0) : path + ": fits none of " + describe(union));
    }

    private static String branchName(Schema t) {
        return switch (t.getType()) {
            case RECORD, ENUM, FIXED -> t.getFullName();
            default -> t.getType().getName();
        };
    }

    private static String describe(Schema schema) {
        return schema.getType() == Schema.Type.UNION
                ? schema.getTypes().stream()
                        .map(JsonToAvro::branchName)
                        .toList()
                        .toString()
                : branchName(schema);
    }

    private static IllegalArgumentException mismatch(String path, String expected, JsonNode got) {
        String text = got.toString();
        return new IllegalArgumentException(
                path + ": expected " + expected + ", got " + (text.length() > 60 ? text.substring(0, 60) + "…" : text));
    }
}
