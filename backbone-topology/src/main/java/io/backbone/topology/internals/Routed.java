package io.backbone.topology.internals;

/** A record on its way out of the contract step: to the product topic, or to the DLQ (original bytes). */
public record Routed(boolean valid, byte[] value) {}
