package io.backbone.topology.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.contract.DataContract;
import io.backbone.contract.ServiceLevels;
import io.backbone.product.DataProduct;
import io.backbone.product.PlatformTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes each product's status windows once their end plus the grace period has passed, judges them against the
 * product contract's promises — {@code latency} (95th percentile of event time to product append), {@code freshness}
 * (processing time minus the newest event time) and a dead-letter threshold ({@code invalidValues} in percent) — and
 * publishes one status event per product per window to {@code _backbone.status}, plus an alert to
 * {@code _backbone.alerts} when a promise is broken and again when it is kept again. Idle products get a status too,
 * so freshness keeps being judged when nothing arrives.
 */
public final class StatusEmitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusEmitter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StatusWindows windows;
    private final List<DataProduct> products;
    private final long graceMs;
    private final String instance;
    private final Producer<byte[], byte[]> producer;
    private final LongSupplier clock;
    private final ScheduledExecutorService timer;
    private final Map<String, Long> nextWindow = new HashMap<>();
    private final Map<String, Boolean> broken = new HashMap<>();

    StatusEmitter(
            StatusWindows windows,
            List<DataProduct> products,
            long graceMs,
            String instance,
            Producer<byte[], byte[]> producer,
            LongSupplier clock) {
        this.windows = windows;
        this.products = products;
        this.graceMs = graceMs;
        this.instance = instance;
        this.producer = producer;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "backbone-status");
            t.setDaemon(true);
            return t;
        });
        long start = windows.start(clock.getAsLong());
        for (DataProduct p : products) {
            nextWindow.put(p.id(), start);
            // records of earlier event times (a backlog after a restart) count in the current window, as late
            windows.product(p.id()).closedBefore = start;
        }
    }

    /** Starts emitting, with a producer built from the application's client settings. */
    public static StatusEmitter start(
            StatusWindows windows,
            List<DataProduct> products,
            long graceMs,
            String instance,
            Map<String, Object> clientSettings) {
        Map<String, Object> config = new HashMap<>();
        clientSettings.forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k) && v != null) {
                config.put(k, v);
            }
        });
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, instance + "-status");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        // a missing status topic must not hold the emitter (or the shutdown) for the default minute per send
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        StatusEmitter emitter =
                new StatusEmitter(windows, products, graceMs, instance, producer, System::currentTimeMillis);
        long tick = Math.max(100, Math.min(1000, windows.windowMs() / 4));
        emitter.timer.scheduleWithFixedDelay(emitter::tickSafely, tick, tick, TimeUnit.MILLISECONDS);
        return emitter;
    }

    private long warnedAt;
    private long missingSince;

    private void tickSafely() {
        try {
            emit(clock.getAsLong() - graceMs, false);
        } catch (RuntimeException e) {
            if (System.currentTimeMillis() - warnedAt > 60_000) {
                warnedAt = System.currentTimeMillis();
                LOG.warn(
                        "Product status not published to {} ({}); is the topic there? 'backbone apply' creates it."
                                + " The figures are lost, the products are not.",
                        PlatformTopics.STATUS,
                        e.toString());
            }
        }
    }

    /** Emits every window that ends at or before {@code until}; with {@code all}, the open ones too (shutting down). */
    synchronized void emit(long until, boolean all) {
        long now = clock.getAsLong();
        if (missingSince > 0 && (all || now - missingSince < 30_000)) {
            throw new IllegalStateException("topic " + PlatformTopics.STATUS + " is not there");
        }
        try {
            producer.partitionsFor(PlatformTopics.STATUS); // waits at most max.block.ms for a missing topic
            missingSince = 0;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            missingSince = now;
            throw new IllegalStateException("topic " + PlatformTopics.STATUS + " is not there", e);
        }
        long windowMs = windows.windowMs();
        long closeBefore = all ? Long.MAX_VALUE : windows.start(until);
        for (DataProduct p : products) {
            StatusWindows.Product product = windows.product(p.id());
            Map<Long, StatusWindows.Window> closed = new TreeMap<>();
            for (StatusWindows.Window w : product.close(closeBefore)) {
                closed.put(w.start, w);
            }
            long next = nextWindow.get(p.id());
            long last = all ? windows.start(now) : closeBefore - windowMs;
            for (long start = next; start <= last; start += windowMs) {
                StatusWindows.Window w = closed.remove(start);
                publish(p, w == null ? new StatusWindows.Window(start) : w, product, now, all);
                nextWindow.put(p.id(), start + windowMs);
            }
            for (StatusWindows.Window w : closed.values()) {
                publish(p, w, product, now, all); // windows older than the first one this instance emitted
            }
        }
        producer.flush();
    }

    private void publish(
            DataProduct p, StatusWindows.Window w, StatusWindows.Product product, long now, boolean partial) {
        ObjectNode status = status(p, w, product.newestEventTime(), now, partial);
        byte[] key = p.id().getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(PlatformTopics.STATUS, key, bytes(status)));
        for (var promise : status.withArray("promises")) {
            if (!promise.has("kept") || promise.get("kept").isNull()) {
                continue;
            }
            String name = promise.get("promise").asText();
            boolean kept = promise.get("kept").asBoolean();
            Boolean wasBroken = broken.put(p.id() + "/" + name, !kept);
            if (!kept && !Boolean.TRUE.equals(wasBroken) || kept && Boolean.TRUE.equals(wasBroken)) {
                ObjectNode alert = JSON.createObjectNode()
                        .put("product", p.id())
                        .put("promise", name)
                        .put("state", kept ? "KEPT" : "BROKEN")
                        .put("windowStart", Instant.ofEpochMilli(w.start).toString())
                        .put(
                                "windowEnd",
                                Instant.ofEpochMilli(w.start + windows.windowMs())
                                        .toString())
                        .put("instance", instance)
                        .put("at", Instant.ofEpochMilli(now).toString());
                alert.set("threshold", promise.get("threshold"));
                alert.set("actual", promise.get("actual"));
                alert.put(
                        "message",
                        p.id()
                                + (kept
                                        ? " keeps its " + name + " promise again: "
                                        : " breaks its " + name + " promise: ")
                                + promise.get("actual").asText() + " against "
                                + promise.get("threshold").asText());
                producer.send(new ProducerRecord<>(PlatformTopics.ALERTS, key, bytes(alert)));
                (kept ? LOG.atInfo() : LOG.atWarn())
                        .addKeyValue("product", p.id())
                        .addKeyValue("promise", name)
                        .log("{}", alert.get("message").asText());
            }
        }
    }

    ObjectNode status(DataProduct p, StatusWindows.Window w, long newest, long now, boolean partial) {
        long windowMs = windows.windowMs();
        long in = w.in.sum();
        long dead = w.deadLettered();
        ObjectNode s = JSON.createObjectNode()
                .put("product", p.id())
                .put("productTopic", p.productTopic())
                .put("dlqTopic", p.dlqTopic())
                .put("instance", instance)
                .put("windowStart", Instant.ofEpochMilli(w.start).toString())
                .put("windowEnd", Instant.ofEpochMilli(w.start + windowMs).toString())
                .put("windowMs", windowMs)
                .put("partial", partial)
                .put("in", in)
                .put("valid", w.valid.sum())
                .put("duplicates", w.duplicates.sum())
                .put("deadLettered", dead)
                .put("warned", w.warned.sum())
                .put("foreign", w.foreign.sum())
                .put("late", w.late.sum())
                .put("early", w.early.sum());
        s.set("deadLetteredByStage", counts(w.deadLetteredByStage));
        s.set("deadLetteredByRule", counts(w.deadLetteredByRule));
        s.set("warnedByRule", counts(w.warnedByRule));
        if (in > 0) {
            s.put("deadLetterPercent", Math.round(dead * 10000.0 / in) / 100.0);
        } else {
            s.putNull("deadLetterPercent");
        }
        Long freshness = newest == Long.MIN_VALUE ? null : Math.max(0, now - newest);
        if (freshness == null) {
            s.putNull("freshnessMs").putNull("newestEventTime");
        } else {
            s.put("freshnessMs", freshness)
                    .put("newestEventTime", Instant.ofEpochMilli(newest).toString());
        }
        ObjectNode latency = s.putObject("latencyMs").put("count", w.latency.count());
        for (var q : List.of(50, 95, 99)) {
            long v = w.latency.percentile(q / 100.0);
            if (v < 0) {
                latency.putNull("p" + q);
            } else {
                latency.put("p" + q, v);
            }
        }
        ArrayNode promises = s.putArray("promises");
        DataContract contract = p.output().contract();
        Duration latencyPromise = ServiceLevels.level(contract, "latency");
        if (latencyPromise != null) {
            ObjectNode promise = promises.addObject()
                    .put("promise", "latency")
                    .put("threshold", "p95 ≤ " + latencyPromise.toMillis() + " ms")
                    .put("thresholdMs", latencyPromise.toMillis());
            long p95 = w.latency.percentile(0.95);
            if (p95 < 0) {
                promise.putNull("kept").put("actual", "no records");
            } else {
                promise.put("kept", p95 <= latencyPromise.toMillis()).put("actual", "p95 " + p95 + " ms");
            }
        }
        for (String level : List.of("freshness", "frequency")) {
            // freshness: the newest event is at most this old; frequency: data arrives at least this often
            Duration freshnessPromise = ServiceLevels.level(contract, level);
            if (freshnessPromise == null) {
                continue;
            }
            ObjectNode promise = promises.addObject()
                    .put("promise", level)
                    .put("threshold", "≤ " + freshnessPromise.toMillis() + " ms")
                    .put("thresholdMs", freshnessPromise.toMillis());
            if (freshness == null) {
                promise.putNull("kept").put("actual", "no records yet");
            } else {
                promise.put("kept", freshness <= freshnessPromise.toMillis()).put("actual", freshness + " ms");
            }
        }
        Double threshold = ServiceLevels.deadLetterThreshold(contract);
        if (threshold != null) {
            ObjectNode promise = promises.addObject()
                    .put("promise", "dead-letter-ratio")
                    .put("threshold", "< " + threshold + " %")
                    .put("thresholdPercent", threshold);
            if (in == 0) {
                promise.putNull("kept").put("actual", "no records");
            } else {
                double percent = dead * 100.0 / in;
                promise.put("kept", percent < threshold)
                        .put("actual", String.format(java.util.Locale.ROOT, "%.2f %%", percent));
            }
        }
        boolean anyBroken = false;
        for (var promise : promises) {
            anyBroken |=
                    promise.path("kept").isBoolean() && !promise.get("kept").asBoolean();
        }
        s.put("state", anyBroken ? "BROKEN" : in == 0 ? "IDLE" : "OK");
        s.put("emittedAt", Instant.ofEpochMilli(now).toString());
        return s;
    }

    private static ObjectNode counts(Map<String, LongAdder> counts) {
        ObjectNode out = JSON.createObjectNode();
        new TreeMap<>(counts).forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the timer and publishes the open windows, marked partial, so that nothing counted is lost. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            emit(clock.getAsLong(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("The last status windows were not published: {}", e.toString());
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
