package io.backbone.topology.internals;

/**
 * The names of a product's two sink nodes. The contract processor forwards each record straight to one of them by
 * name, so a record passes no branch or mapping node between the contract and its topic.
 */
public final class SinkNames {
    private SinkNames() {}

    public static String product(String productId) {
        return productId + "-product-sink";
    }

    public static String deadLetter(String productId) {
        return productId + "-dlq-sink";
    }
}
