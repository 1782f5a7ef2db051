package io.backbone.product;

/**
 * The backbone's own topics, beside the products': the catalog (compacted, key product id, value the product's
 * descriptor, contracts and version history as JSON; a tombstone when a product leaves the catalog), the live status
 * (one JSON event per product per status window) and the alerts (a promise broken, and kept again).
 */
public final class PlatformTopics {
    public static final String CATALOG = "_backbone.catalog";
    public static final String STATUS = "_backbone.status";
    public static final String ALERTS = "_backbone.alerts";

    private PlatformTopics() {}
}
