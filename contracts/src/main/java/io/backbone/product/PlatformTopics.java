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
    /**
     * Which dead letters have been redriven (compacted; key {@code <dlq topic>/<partition>/<offset>}, value where it
     * went), written in the same transaction as the redriven records so that a redrive never sends one twice.
     */
    public static final String REDRIVE = "_backbone.redrive";

    private PlatformTopics() {}

    /**
     * Where the change data capture of {@code domain} keeps its positions in the database's write-ahead log
     * (compacted; written by Kafka Connect's offset store).
     */
    public static String cdcOffsets(String domain) {
        return "_backbone.cdc-offsets." + domain;
    }

    /** Where the outbox relay of {@code domain} keeps its positions in the database's write-ahead log. */
    public static String outboxOffsets(String domain) {
        return "_backbone.outbox-offsets." + domain;
    }

    /**
     * Where the outbox relay of {@code domain} moves a row whose topic is not one of the domain's raw topics (its bytes,
     * key and headers unchanged, plus the reason), so that the relay goes on with the rows after it.
     */
    public static String outboxRefused(String domain) {
        return "_backbone.outbox-refused." + domain;
    }

    /**
     * The PostgreSQL replication slot and publication of {@code domain}'s outbox: the service creates them with its
     * outbox table, the relay reads through them. Not a topic, but a name both sides must agree on, like the others.
     */
    public static String outboxSlot(String domain) {
        return "backbone_outbox_" + domain.replace('-', '_');
    }

    /** Where dead letters of {@code dlqTopic} go when they were redriven too often: {@code <dlq topic>.parked}. */
    public static String parked(String dlqTopic) {
        return dlqTopic + ".parked";
    }
}
