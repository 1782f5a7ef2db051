package io.backbone.contract;

/** One failed rule: which rule, on which field, why (PII values already redacted), how bad, at which stage. */
public record Violation(String rule, String field, String message, Severity severity, Stage stage) {}
