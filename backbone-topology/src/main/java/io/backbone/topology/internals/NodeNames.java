package io.backbone.topology.internals;

import java.util.Collection;

/**
 * The names of a product's nodes, spelled only here: the topology names its nodes with them, the contract processor
 * forwards to the sinks by name (no branch or mapping node between the contract and its topic), and the exception
 * handler finds the product a failing node belongs to.
 */
public final class NodeNames {
    private NodeNames() {}

    public static String source(String productId) {
        return productId + "-source";
    }

    public static String contract(String productId) {
        return productId + "-contract";
    }

    /** A join product's input from one of its ports ({@code left}, {@code right}). */
    public static String joinSource(String productId, String port) {
        return productId + "-" + port + "-source";
    }

    /** The step that checks a join input record and applies the port's filter. */
    public static String joinInput(String productId, String port) {
        return productId + "-" + port + "-input";
    }

    /** The join itself; Kafka Streams derives its window and merge nodes' names from this one. */
    public static String join(String productId) {
        return productId + "-join";
    }

    public static String product(String productId) {
        return productId + "-product-sink";
    }

    public static String deadLetter(String productId) {
        return productId + "-dlq-sink";
    }

    /** The product whose node {@code nodeId} is: the longest product id it starts with, or null. */
    public static String productOf(String nodeId, Collection<String> productIds) {
        String best = null;
        for (String id : productIds) {
            if (nodeId.startsWith(id + "-") && (best == null || id.length() > best.length())) {
                best = id;
            }
        }
        return best;
    }
}
