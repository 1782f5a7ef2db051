package io.backbone.catalogservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.product.PlatformTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the catalog knows, read from the backbone's own topics by one background consumer (no consumer group, no
 * database): every product from the compacted {@code _backbone.catalog}, the status windows of the last hours from
 * {@code _backbone.status} (summed over the backbone instances that each publish their partitions' share) and the
 * recent alerts. A record that is not what these topics should hold is skipped and counted, naming its topic,
 * partition and offset; while the broker is away the reader keeps trying and says since when.
 */
public final class CatalogState implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogState.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ALERTS = 500;

    private final Map<String, Object> consumerConfig;
    private final Duration statusHistory;
    private final Map<String, JsonNode> products = new ConcurrentHashMap<>();
    /** product → window start → instance → status event */
    private final Map<String, NavigableMap<Long, Map<String, JsonNode>>> windows = new ConcurrentHashMap<>();

    private final Deque<JsonNode> alerts = new ArrayDeque<>();
    private final AtomicLong skipped = new AtomicLong();
    private volatile String lastSkipped;
    private volatile String problem;
    private volatile long problemSince;
    private volatile long lastRead;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread reader;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean closed;

    public CatalogState(Map<String, Object> clientSettings, Duration statusHistory) {
        Map<String, Object> config = new HashMap<>();
        clientSettings.forEach((k, v) -> {
            if (ConsumerConfig.configNames().contains(k) && v != null) {
                config.put(k, v);
            }
        });
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "backbone-catalog");
        this.consumerConfig = config;
        this.statusHistory = statusHistory;
        this.reader = new Thread(this::run, "backbone-catalog-reader");
        reader.setDaemon(true);
    }

    public CatalogState start() {
        reader.start();
        return this;
    }

    /** Waits until the catalog topic has been read to its end once. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        while (!closed) {
            try (KafkaConsumer<byte[], byte[]> c =
                    new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                List<TopicPartition> catalog = partitions(c, PlatformTopics.CATALOG);
                List<TopicPartition> status = partitions(c, PlatformTopics.STATUS);
                List<TopicPartition> alertPartitions = partitions(c, PlatformTopics.ALERTS);
                if (catalog.isEmpty()) {
                    problem("topic " + PlatformTopics.CATALOG + " does not exist: run 'backbone provision' first");
                    sleep(2000);
                    continue;
                }
                List<TopicPartition> all = new ArrayList<>(catalog);
                all.addAll(status);
                all.addAll(alertPartitions);
                c.assign(all);
                c.seekToBeginning(catalog);
                seekToTime(c, status, System.currentTimeMillis() - statusHistory.toMillis());
                seekToTime(
                        c,
                        alertPartitions,
                        System.currentTimeMillis() - Duration.ofDays(1).toMillis());
                Map<TopicPartition, Long> catalogEnd = c.endOffsets(catalog);
                long checked = System.currentTimeMillis();
                boolean answering = true;
                while (!closed) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        apply(r);
                    }
                    if (System.currentTimeMillis() - checked > 5_000) {
                        // a consumer whose broker is away just returns nothing: ask, so the pages can say so
                        checked = System.currentTimeMillis();
                        try {
                            c.endOffsets(catalog, Duration.ofSeconds(3));
                            answering = true;
                        } catch (org.apache.kafka.common.errors.TimeoutException e) {
                            answering = false;
                            problem("the broker at " + consumerConfig.get("bootstrap.servers") + " does not answer");
                        }
                    }
                    if (!answering) {
                        continue;
                    }
                    lastRead = System.currentTimeMillis();
                    if (problem != null) {
                        LOG.info(
                                "Reading the backbone's topics again ({} since {})",
                                problem,
                                Instant.ofEpochMilli(problemSince));
                        problem = null;
                    }
                    if (caughtUp.getCount() > 0
                            && catalog.stream().allMatch(tp -> c.position(tp) >= catalogEnd.get(tp))) {
                        caughtUp.countDown();
                        LOG.info("Catalog read: {} product(s)", products.size());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                problem("cannot read the backbone's topics: " + e.getMessage());
                sleep(2000);
            }
        }
    }

    private void problem(String message) {
        if (problem == null) {
            problemSince = System.currentTimeMillis();
            LOG.warn("{}; retrying", message);
        }
        problem = message;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c, String topic) {
        List<TopicPartition> out = new ArrayList<>();
        List<PartitionInfo> infos = c.listTopics(Duration.ofSeconds(30)).get(topic);
        if (infos != null) {
            for (PartitionInfo i : infos) {
                out.add(new TopicPartition(topic, i.partition()));
            }
        }
        return out;
    }

    private static void seekToTime(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions, long time) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, time));
        Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = found.get(tp);
            if (o == null) {
                c.seekToEnd(List.of(tp));
            } else {
                c.seek(tp, o.offset());
            }
        }
    }

    /** Applies one record of the backbone's topics; anything else is skipped and counted. */
    void apply(ConsumerRecord<byte[], byte[]> r) {
        String where = r.topic() + "-" + r.partition() + "@" + r.offset();
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        if (r.topic().equals(PlatformTopics.CATALOG) && key != null && r.value() == null) {
            if (products.remove(key) != null) {
                LOG.info("Product {} left the catalog ({})", key, where);
            }
            return;
        }
        JsonNode value;
        try {
            value = r.value() == null ? null : JSON.readTree(r.value());
        } catch (java.io.IOException e) {
            value = null;
        }
        String reason = null;
        if (value == null || !value.isObject()) {
            reason = "not a JSON object";
        } else if (r.topic().equals(PlatformTopics.CATALOG)) {
            if (key == null
                    || !key.equals(value.path("id").asText(null))
                    || !value.path("contracts").isObject()) {
                reason = "not a catalog record (key and id must match; contracts required)";
            } else {
                products.put(key, value);
            }
        } else if (r.topic().equals(PlatformTopics.STATUS)) {
            try {
                long start = Instant.parse(value.path("windowStart").asText()).toEpochMilli();
                String product = value.path("product").asText();
                if (product.isEmpty() || !value.path("in").isNumber()) {
                    reason = "not a status event (product and in required)";
                } else {
                    windows.computeIfAbsent(product, k -> new java.util.concurrent.ConcurrentSkipListMap<>())
                            .computeIfAbsent(start, k -> new ConcurrentHashMap<>())
                            .merge(value.path("instance").asText(""), value, (a, b) -> merge(a, b));
                    trim(product);
                }
            } catch (java.time.format.DateTimeParseException e) {
                reason = "not a status event (windowStart is not a time)";
            }
        } else if (r.topic().equals(PlatformTopics.ALERTS)) {
            if (!value.path("product").isTextual() || !value.path("state").isTextual()) {
                reason = "not an alert (product and state required)";
            } else {
                synchronized (alerts) {
                    alerts.addFirst(value);
                    while (alerts.size() > MAX_ALERTS) {
                        alerts.removeLast();
                    }
                }
            }
        }
        if (reason != null) {
            skipped.incrementAndGet();
            lastSkipped = where + ": " + reason;
            LOG.warn("Skipping the record at {} (key {}): {}", where, key, reason);
        }
    }

    /** An instance that published the same window twice (its partial flush on shutdown, then more): both count. */
    private static JsonNode merge(JsonNode a, JsonNode b) {
        return Aggregate.sum(List.of(a, b));
    }

    private void trim(String product) {
        NavigableMap<Long, Map<String, JsonNode>> w = windows.get(product);
        long oldest = System.currentTimeMillis() - statusHistory.toMillis();
        while (!w.isEmpty() && w.firstKey() < oldest && w.size() > 1) {
            w.pollFirstEntry();
        }
    }

    // ---- what the service reads ---------------------------------------------------------------------------------

    public Map<String, JsonNode> products() {
        return new TreeMap<>(products);
    }

    public JsonNode product(String id) {
        return products.get(id);
    }

    /** The product's windows, oldest first, each summed over the instances that published it. */
    public List<JsonNode> windows(String product) {
        NavigableMap<Long, Map<String, JsonNode>> w = windows.get(product);
        List<JsonNode> out = new ArrayList<>();
        if (w != null) {
            for (Map<String, JsonNode> byInstance : w.values()) {
                out.add(Aggregate.sum(new ArrayList<>(byInstance.values())));
            }
        }
        return out;
    }

    /** Every window of the product summed: the figures since the oldest window read. */
    public ObjectNode totals(String product) {
        List<JsonNode> all = windows(product);
        return all.isEmpty() ? null : (ObjectNode) Aggregate.sum(all);
    }

    public List<JsonNode> alerts(String product) {
        synchronized (alerts) {
            List<JsonNode> out = new ArrayList<>();
            for (Iterator<JsonNode> it = alerts.iterator(); it.hasNext(); ) {
                JsonNode a = it.next();
                if (product == null || product.equals(a.path("product").asText())) {
                    out.add(a);
                }
            }
            return out;
        }
    }

    /** The latest state of each promise of a product, from its alerts: promise → BROKEN|KEPT alert. */
    public Map<String, JsonNode> openAlerts(String product) {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        for (JsonNode a : alerts(product)) {
            latest.putIfAbsent(a.path("promise").asText(), a);
        }
        latest.values().removeIf(a -> !"BROKEN".equals(a.path("state").asText()));
        return latest;
    }

    public long skipped() {
        return skipped.get();
    }

    public String lastSkipped() {
        return lastSkipped;
    }

    /** Null while reading works; otherwise what is wrong and since when. */
    public String problem() {
        String p = problem;
        return p == null ? null : p + " (since " + Instant.ofEpochMilli(problemSince) + ")";
    }

    public long lastRead() {
        return lastRead;
    }

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
