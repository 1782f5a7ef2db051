package io.backbone.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Where a contract is in its life: ODCS's {@code status} ({@code proposed}, {@code draft}, {@code active},
 * {@code deprecated}, {@code retired}), and for a deprecated one the custom properties {@code deprecatedOn} and
 * {@code sunset} (ISO dates) and {@code successor} (the id of the contract that replaces it, usually the next major of
 * the same product). Dates that do not parse are null here; lint reports them.
 */
public record Lifecycle(String status, LocalDate deprecatedOn, LocalDate sunset, String successor) {
    public static final List<String> STATUSES = List.of("proposed", "draft", "active", "deprecated", "retired");
    public static final String DEPRECATED_ON = "deprecatedOn";
    public static final String SUNSET = "sunset";
    public static final String SUCCESSOR = "successor";

    /** The lifecycle of a contract document: its root {@code status} and contract-level custom properties. */
    public static Lifecycle of(JsonNode root, Map<String, JsonNode> customProperties) {
        return new Lifecycle(
                root.path("status").asText("active"),
                date(customProperties.get(DEPRECATED_ON)),
                date(customProperties.get(SUNSET)),
                text(customProperties.get(SUCCESSOR)));
    }

    public boolean deprecated() {
        return "deprecated".equals(status);
    }

    public boolean retired() {
        return "retired".equals(status);
    }

    static LocalDate date(JsonNode v) {
        String text = text(v);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String text(JsonNode v) {
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
