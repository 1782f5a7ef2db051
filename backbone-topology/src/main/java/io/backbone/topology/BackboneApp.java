package io.backbone.topology;

import io.backbone.contract.Masker;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.registry.SchemaRegistryClient;
import io.backbone.topology.dedup.DedupMode;
import io.backbone.topology.internals.DeadLetterProcessingExceptionHandler;
import io.backbone.topology.metrics.BackboneMeters;
import io.backbone.topology.metrics.ProductMetrics;
import io.backbone.topology.status.StatusEmitter;
import io.backbone.topology.status.StatusWindows;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The backbone as a running Kafka Streams application: configuration, handlers and lifecycle around the topology. */
public final class BackboneApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackboneApp.class);

    private final KafkaStreams streams;
    private final Topology topology;
    private final List<DataProduct> products;
    private final SchemaRegistryClient registry;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CompletableFuture<String> failed = new CompletableFuture<>();
    private volatile Throwable lastThreadFailure;
    private final java.util.concurrent.atomic.AtomicInteger threadFailures =
            new java.util.concurrent.atomic.AtomicInteger();
    private volatile String stopReason;
    private final StatusWindows statusWindows;
    private final Map<String, Object> clientSettings;
    private final long statusGraceMs;
    private StatusEmitter statusEmitter;
    /** Sends deprecation notices to the groups still reading a deprecated version (null: none is deprecated). */
    private java.util.concurrent.ScheduledExecutorService notices;

    private io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics kafkaMeters;

    private BackboneApp(
            KafkaStreams streams,
            Topology topology,
            List<DataProduct> products,
            SchemaRegistryClient registry,
            StatusWindows statusWindows,
            Map<String, Object> clientSettings,
            long statusGraceMs) {
        this.streams = streams;
        this.topology = topology;
        this.products = products;
        this.registry = registry;
        this.statusWindows = statusWindows;
        this.clientSettings = clientSettings;
        this.statusGraceMs = statusGraceMs;
    }

    /**
     * Builds the app from {@code properties}: Kafka Streams and client settings, {@code schema.registry.url} and
     * the {@link BackboneConfig} keys. Invalid settings fail here, before anything connects.
     */
    public static BackboneApp create(Map<String, Object> properties, ProductCatalog catalog) {
        BackboneConfig config = new BackboneConfig(properties);
        List<String> wanted = config.getList(BackboneConfig.PRODUCTS);
        List<DataProduct> products = wanted.isEmpty()
                ? catalog.products()
                : wanted.stream().map(catalog::product).toList();
        Masker masker = new Masker(config.maskingSecret());
        SchemaRegistryClient registry = new RestSchemaRegistryClient(properties);
        Topology topology = BackboneTopology.topology(
                products, registry, masker, DedupMode.parse(config.getString(BackboneConfig.DEDUP)));

        Map<String, Object> streamsProps = BackboneConfig.streamsProperties(properties);
        streamsProps.putIfAbsent(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingExceptionHandler.class);
        // the handler finds the DLQ and contract of the product whose node failed
        streamsProps.put(DeadLetterProcessingExceptionHandler.PRODUCTS_CONFIG, products);
        Object pause = properties.get(DeadLetterProcessingExceptionHandler.MISCONFIGURED_PAUSE_MS_CONFIG);
        if (pause != null) {
            streamsProps.put(DeadLetterProcessingExceptionHandler.MISCONFIGURED_PAUSE_MS_CONFIG, pause);
        }
        StatusWindows statusWindows = config.getBoolean(BackboneConfig.STATUS_ENABLED)
                ? new StatusWindows(config.getLong(BackboneConfig.STATUS_WINDOW_MS))
                : null;
        Map<String, Object> clientSettings = new java.util.HashMap<>(streamsProps);
        if (statusWindows != null) {
            streamsProps.put(StatusWindows.CONFIG, statusWindows);
        }
        Properties p = new Properties();
        p.putAll(streamsProps);
        KafkaStreams streams = new KafkaStreams(topology, p);
        BackboneApp app = new BackboneApp(
                streams,
                topology,
                products,
                registry,
                statusWindows,
                clientSettings,
                config.getLong(BackboneConfig.STATUS_GRACE_MS));
        ThreadFailures failures = new ThreadFailures(
                config.getInt(BackboneConfig.THREAD_FAILURES_MAX),
                Duration.ofMillis(config.getLong(BackboneConfig.THREAD_FAILURES_WINDOW_MS)));
        streams.setUncaughtExceptionHandler(exception -> {
            app.lastThreadFailure = exception;
            app.threadFailures.incrementAndGet();
            ThreadFailures.Verdict verdict = failures.failed(exception, System.nanoTime());
            if (verdict == ThreadFailures.Verdict.STOP) {
                app.stopReason = failures.why(exception);
                LOG.error(
                        "Stream thread failed ({}); {}; stopping the application",
                        exception.toString(),
                        failures.why(exception));
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            LOG.warn(
                    "Stream thread failed ({}); replacing it, processing resumes from the last committed offsets",
                    exception.toString());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        return app;
    }

    public void start() {
        LOG.info(
                "Starting the backbone for products {}",
                products.stream().map(DataProduct::id).toList());
        streams.setStateListener((now, before) -> {
            LOG.info("Backbone {} → {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
            if (now == KafkaStreams.State.ERROR) {
                Throwable cause = lastThreadFailure;
                failed.complete("Kafka Streams went to ERROR" + (cause == null ? "" : ": " + ThreadFailures.root(cause))
                        + (stopReason == null ? "" : " (" + stopReason + ")"));
                running.countDown();
            }
        });
        streams.start();
        startDeprecationNotices();
        if (statusWindows != null) {
            String appId = String.valueOf(clientSettings.get(StreamsConfig.APPLICATION_ID_CONFIG));
            statusEmitter = StatusEmitter.start(
                    statusWindows, products, statusGraceMs, io.backbone.dlq.DeadLetter.instance(appId), clientSettings);
            LOG.info(
                    "Publishing product status every {} ms window (grace {} ms) to {} and {}",
                    statusWindows.windowMs(),
                    statusGraceMs,
                    io.backbone.product.PlatformTopics.STATUS,
                    io.backbone.product.PlatformTopics.ALERTS);
        }
    }

    /**
     * Waits until the app has been RUNNING at least once (it may be rebalancing again already); false if it went to
     * ERROR first ({@link #failure()} says why) or the time ran out.
     */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && !failed.isDone();
    }

    /** Completes with the reason when Kafka Streams has gone to ERROR and will process nothing more. */
    public CompletableFuture<String> failure() {
        return failed;
    }

    /** How many stream threads have failed since start (each one replaced or the application stopped). */
    public int threadFailures() {
        return threadFailures.get();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public Topology topology() {
        return topology;
    }

    public List<DataProduct> products() {
        return products;
    }

    /** The {@link ProductMetrics} totals per product: {@code product → {valid, duplicate, warned, dlq-<stage>}}. */
    public Map<String, Map<String, Double>> productTotals() {
        Map<String, Map<String, Double>> out = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName name = e.getKey();
            if (name.group().equals(ProductMetrics.GROUP) && name.name().endsWith("-total")) {
                String product = name.tags().get(ProductMetrics.TAG);
                Object value = e.getValue().metricValue();
                if (product != null && value instanceof Double d) {
                    out.computeIfAbsent(product, k -> new TreeMap<>())
                            .merge(name.name().substring(0, name.name().length() - "-total".length()), d, Double::sum);
                }
            }
        }
        return out;
    }

    /**
     * Binds to {@code meters} Kafka Streams' own metrics and its clients' (Micrometer's binder: {@code kafka_stream_*},
     * {@code kafka_consumer_*}, {@code kafka_producer_*}), the backbone's per-product and per-rule counters
     * ({@link BackboneMeters}) and {@code backbone_streams_running}. Returns what to run before each scrape.
     */
    public Runnable bindMetrics(io.micrometer.core.instrument.MeterRegistry meters) {
        kafkaMeters = new io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics(streams);
        kafkaMeters.bindTo(meters);
        BackboneMeters backbone = new BackboneMeters(streams::metrics);
        backbone.bindTo(meters);
        BackboneMeters.bindRunning(meters, this::isRunning);
        return backbone::refresh;
    }

    /** True while Kafka Streams is RUNNING (not starting, rebalancing, stopping or failed). */
    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** True unless Kafka Streams has failed for good (ERROR, or stopping after a failure): restart the process then. */
    public boolean isAlive() {
        KafkaStreams.State state = streams.state();
        return !failed.isDone() && state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
    }

    /** Stops and leaves the consumer group, so that a restarted or remaining instance takes over without waiting for the session timeout. */
    /**
     * When a product version is deprecated: every six hours (the first time shortly after start), alerts for the
     * consumer groups still reading it ({@link io.backbone.topology.status.DeprecationNotices}).
     */
    private void startDeprecationNotices() {
        if (products.stream().noneMatch(p -> p.output().contract().lifecycle().deprecated())) {
            return;
        }
        String appId = String.valueOf(clientSettings.get(StreamsConfig.APPLICATION_ID_CONFIG));
        Map<String, Object> admin = new java.util.HashMap<>();
        Map<String, Object> producer = new java.util.HashMap<>();
        Map<String, Object> consumer = new java.util.HashMap<>();
        clientSettings.forEach((k, v) -> {
            if (v == null) {
                return;
            }
            if (org.apache.kafka.clients.admin.AdminClientConfig.configNames().contains(k)) {
                admin.put(k, v);
            }
            if (org.apache.kafka.clients.producer.ProducerConfig.configNames().contains(k)) {
                producer.put(k, v);
            }
            if (org.apache.kafka.clients.consumer.ConsumerConfig.configNames().contains(k)) {
                consumer.put(k, v);
            }
        });
        producer.remove(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        producer.put(org.apache.kafka.clients.producer.ProducerConfig.CLIENT_ID_CONFIG, appId + "-deprecation");
        notices = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "backbone-deprecation-notices");
            t.setDaemon(true);
            return t;
        });
        notices.scheduleWithFixedDelay(
                () -> {
                    try (org.apache.kafka.clients.admin.Admin a = org.apache.kafka.clients.admin.Admin.create(admin);
                            org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> p =
                                    new org.apache.kafka.clients.producer.KafkaProducer<>(
                                            producer,
                                            new org.apache.kafka.common.serialization.ByteArraySerializer(),
                                            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                        new io.backbone.topology.status.DeprecationNotices(
                                        a, p, consumer, io.backbone.dlq.DeadLetter.instance(appId))
                                .send(products, java.time.Instant.now());
                    } catch (Exception e) {
                        LOG.warn("Deprecation notices not sent this time (next try in 6 h): {}", e.toString());
                    }
                },
                10,
                6 * 3600,
                TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (notices != null) {
            notices.shutdownNow();
        }
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        if (statusEmitter != null) {
            statusEmitter.close();
        }
        if (kafkaMeters != null) {
            kafkaMeters.close();
        }
        registry.close();
    }
}
