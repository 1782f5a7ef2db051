package io.backbone.serde;

/**
 * Avro's own limits ({@code org.apache.avro.limits.*}) on what one read may allocate, as a second wall behind
 * {@link AvroBounds}: Avro's defaults allow strings and collections of about two billion. An operator's own setting
 * (a {@code -D} flag) wins. Avro reads them once, when its limit class loads, so this runs before the first decode.
 */
public final class AvroLimits {
    /** Bytes of one string or bytes value. */
    public static final long MAX_BYTES = 64L << 20;
    /** Items of all the arrays and maps of one value. */
    public static final long MAX_COLLECTION_ITEMS = 10_000_000L;

    private AvroLimits() {}

    /** Sets each limit the operator has not set. */
    public static void install() {
        setIfAbsent("org.apache.avro.limits.string.maxLength", MAX_BYTES);
        setIfAbsent("org.apache.avro.limits.bytes.maxLength", MAX_BYTES);
        setIfAbsent("org.apache.avro.limits.collectionItems.maxLength", MAX_COLLECTION_ITEMS);
    }

    private static void setIfAbsent(String key, long value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, Long.toString(value));
        }
    }
}
