package io.backbone.topology;

import io.backbone.topology.dedup.DedupMode;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The backbone's own settings. Everything else given to the app (Kafka Streams and client properties) is passed
 * to Kafka Streams as it is, the operator's values winning over the backbone's defaults.
 */
public final class BackboneConfig extends AbstractConfig {
    public static final String MASKING_SECRET = "backbone.masking.secret";
    public static final String CATALOG_PATH = "backbone.catalog.path";
    public static final String PRODUCTS = "backbone.products";
    public static final String DEDUP = "backbone.dedup";
    public static final String THREAD_FAILURES_MAX = "backbone.thread.failures.max";
    public static final String THREAD_FAILURES_WINDOW_MS = "backbone.thread.failures.window.ms";
    public static final String STATUS_ENABLED = "backbone.status.enabled";
    public static final String STATUS_WINDOW_MS = "backbone.status.window.ms";
    public static final String STATUS_GRACE_MS = "backbone.status.grace.ms";
    public static final String PRODUCT_HEADERS = io.backbone.topology.internals.ProductHeaders.CONFIG;

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(
                    STATUS_ENABLED,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "Publish each product's figures per status window to _backbone.status and broken or kept promises "
                            + "to _backbone.alerts (what the catalog shows).")
            .define(
                    STATUS_WINDOW_MS,
                    Type.LONG,
                    60_000L,
                    ConfigDef.Range.atLeast(100),
                    Importance.LOW,
                    "Length of a status window (tumbling, by event time).")
            .define(
                    STATUS_GRACE_MS,
                    Type.LONG,
                    10_000L,
                    ConfigDef.Range.atLeast(0),
                    Importance.LOW,
                    "How long after its end a status window waits for late records before it is published.")
            .define(
                    MASKING_SECRET,
                    Type.PASSWORD,
                    null,
                    Importance.HIGH,
                    "Secret salt of the keyed hash that pseudonymises PII (at least 16 bytes). Required: set it from a "
                            + "secret store, e.g. the BACKBONE_MASKING_SECRET environment variable; never commit it.")
            .define(
                    CATALOG_PATH,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Folder holding domains/ and avro/; empty uses the catalog shipped in the schemas jar.")
            .define(
                    PRODUCTS,
                    Type.LIST,
                    "",
                    Importance.MEDIUM,
                    "Ids of the products this instance runs; empty runs every product of the catalog.")
            .define(
                    DEDUP,
                    Type.STRING,
                    DedupMode.PRODUCT_TOPIC.code(),
                    ConfigDef.ValidString.in("none", "changelog", "product-topic"),
                    Importance.LOW,
                    "How products drop events whose unique property (the event id) was seen within the contract's "
                            + "dedupWindow: product-topic (in memory, rebuilt from the product topic when a task starts; "
                            + "no extra write per record), changelog (a window store with a changelog topic), or none.")
            .define(
                    THREAD_FAILURES_MAX,
                    Type.INT,
                    5,
                    ConfigDef.Range.atLeast(1),
                    Importance.LOW,
                    "A stream thread that fails for a reason that is not transient is replaced, at most this many "
                            + "times within backbone.thread.failures.window.ms; one more stops the application (state "
                            + "ERROR) instead of crash-looping. Transient failures (registry or broker away) are "
                            + "always retried.")
            .define(
                    PRODUCT_HEADERS,
                    Type.LIST,
                    io.backbone.topology.internals.ProductHeaders.DEFAULT,
                    Importance.MEDIUM,
                    "Prefixes of the producer headers a product record keeps (the backbone's own headers aside); every "
                            + "other header stays in the raw topic, so that nothing a producer sets beside the value "
                            + "reaches a wider audience unmasked. Dead letters keep all of them.")
            .define(
                    THREAD_FAILURES_WINDOW_MS,
                    Type.LONG,
                    600_000L,
                    ConfigDef.Range.atLeast(1),
                    Importance.LOW,
                    "The window of backbone.thread.failures.max.");

    public BackboneConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
    }

    /** The masking secret; a ConfigException that says how to set it when there is none. */
    public byte[] maskingSecret() {
        var secret = getPassword(MASKING_SECRET);
        if (secret == null || secret.value().length() < 16) {
            throw new ConfigException(
                    MASKING_SECRET,
                    secret == null ? null : "[hidden]",
                    "a secret of at least 16 characters is required to pseudonymise PII; set BACKBONE_MASKING_SECRET "
                            + "or pass --masking-secret-file (the demo generates one for its own run)");
        }
        return secret.value().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Kafka Streams defaults for the backbone; the given properties override them. */
    public static Map<String, Object> streamsDefaults() {
        return Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG,
                "backbone",
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                100,
                StreamsConfig.NUM_STREAM_THREADS_CONFIG,
                1,
                StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG,
                StreamsConfig.OPTIMIZE);
    }

    /**
     * The Kafka Streams properties the backbone runs with: {@link #streamsDefaults()}, then {@code given} (its
     * {@code backbone.*} keys left out), then the producer's linger unless given: under at-least-once 5 ms (the plain
     * producer's default since Kafka 4.0), because Kafka Streams' 100 ms default is then the whole latency at low
     * rates (p99 113 ms at 2,000 events/s); under exactly-once Kafka Streams' 100 ms stays, since nothing is visible
     * before the commit anyway and longer batches matter when one thread writes hundreds of partitions.
     */
    public static Map<String, Object> streamsProperties(Map<String, ?> given) {
        Map<String, Object> p = new java.util.HashMap<>(streamsDefaults());
        given.forEach((k, v) -> {
            if (!k.startsWith("backbone.")) {
                p.put(k, v);
            }
        });
        String linger = org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG;
        boolean atLeastOnce =
                StreamsConfig.AT_LEAST_ONCE.equals(String.valueOf(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
        if (atLeastOnce && !p.containsKey(linger) && !p.containsKey(StreamsConfig.producerPrefix(linger))) {
            p.put(StreamsConfig.producerPrefix(linger), 5);
        }
        return p;
    }
}
