package io.backbone.contract;

/** One masking step of a product: the PII field and what to do with it. */
public record Mask(FieldPath field, MaskingPolicy policy) {}
