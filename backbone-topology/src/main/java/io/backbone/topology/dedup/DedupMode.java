package io.backbone.topology.dedup;

import java.util.Locale;

/** How a product remembers the event ids it has published, to drop duplicates within its contract's window. */
public enum DedupMode {
    /** No deduplication. */
    NONE("none"),
    /** A persistent window store with a changelog topic: one extra write per record. */
    CHANGELOG("changelog"),
    /**
     * Fixed-size hashes of the ids in memory, bounded by the window, rebuilt when a task starts from the product
     * topic itself, which under exactly-once already holds every id that passed: no extra write per record.
     */
    PRODUCT_TOPIC("product-topic");

    private final String code;

    DedupMode(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static DedupMode parse(String value) {
        for (DedupMode m : values()) {
            if (m.code.equals(value.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown dedup mode '" + value + "'; use none, changelog or product-topic");
    }
}
