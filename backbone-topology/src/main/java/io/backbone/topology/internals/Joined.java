package io.backbone.topology.internals;

/** The framed values of the two records a join product matched (left, right). */
public record Joined(byte[] left, byte[] right) {}
