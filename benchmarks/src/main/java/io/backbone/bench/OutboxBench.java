package io.backbone.bench;

import io.backbone.cdc.CdcCapture;
import io.backbone.console.ProgressLine;
import io.backbone.kafka.ClientSettings;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.platform.LocalPostgres;
import io.backbone.producer.orders.OrderBook;
import io.backbone.producer.orders.OrdersService;
import io.backbone.producer.outbox.OutboxPublisher;
import io.backbone.producer.publish.ContractCheck;
import io.backbone.producer.publish.EventPublisher;
import io.backbone.product.ProductCatalog;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The orders service's two ways to publish, on the same machine: the direct publisher (idempotent producer,
 * {@code acks=all}) and the transactional outbox (an order row and its event in one PostgreSQL transaction, the
 * relay taking the events to Kafka). Throughput: events as fast as one service thread writes them, until the last is
 * on the raw topic. Latency: events at a fixed rate, from the moment the service sends (or commits) to the moment a
 * consumer of the raw topic receives them.
 */
final class OutboxBench {
    private OutboxBench() {}

    interface Path {
        void publish(OrderEvent event) throws Exception;
    }

    static Map<String, Object> run(
            ClientSettings settings, ProductCatalog catalog, int events, int rate, int seconds, ProgressLine progress)
            throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        progress.done("Outbox against direct: starting PostgreSQL and the relay…");
        try (LocalPostgres pg = LocalPostgres.start(0);
                Connection db = pg.connect();
                OutboxPublisher outbox = new OutboxPublisher(
                        OrderBook.OUTBOX,
                        OrdersService.SOURCE,
                        settings,
                        new ContractCheck(catalog, ContractCheck.Mode.REJECT));
                EventPublisher direct = new EventPublisher(
                        settings, OrdersService.SOURCE, new ContractCheck(catalog, ContractCheck.Mode.REJECT));
                Arrivals arrivals = new Arrivals(settings, OrdersService.TOPIC)) {
            OrderBook book = new OrderBook(db, outbox);
            CdcCapture relay = new CdcCapture(new CdcCapture.OutboxSettings(
                    OrdersService.DOMAIN,
                    OrderBook.OUTBOX,
                    List.of(OrdersService.TOPIC),
                    CdcCapture.Database.fromJdbcUrl(pg.jdbcUrl(), LocalPostgres.USER, pg.password()),
                    settings,
                    (short) -1));
            relay.start();
            try (relay) {
                Path directPath = e -> direct.publish(
                        OrdersService.TOPIC, e.getOrderId(), e, e.getEventId(), "ORDER_PLACED", e.getOccurredAt());
                Path outboxPath = e -> book.record(e, true);
                // warm both (the relay's first batch, the producers' metadata and schema ids)
                measure("warm-up direct", directPath, 200, 0, 0, arrivals, progress, 0);
                measure("warm-up outbox", outboxPath, 200, 0, 0, arrivals, progress, 1_000_000);
                out.put("direct", measure("direct", directPath, events, rate, seconds, arrivals, progress, 10_000_000));
                out.put("outbox", measure("outbox", outboxPath, events, rate, seconds, arrivals, progress, 20_000_000));
            }
        }
        return out;
    }

    private static Map<String, Object> measure(
            String name,
            Path path,
            int events,
            int rate,
            int seconds,
            Arrivals arrivals,
            ProgressLine progress,
            int firstOrder)
            throws Exception {
        Random rnd = new Random(firstOrder + 7);
        List<String> ids = new ArrayList<>(events);
        long started = System.currentTimeMillis();
        for (int i = 0; i < events; i++) {
            OrderEvent e = order(firstOrder + i, rnd);
            ids.add(e.getEventId());
            path.publish(e);
            if (i % 1000 == 0) {
                progress.show(name + ": writing " + ProgressLine.bar(i, events));
            }
        }
        long last = arrivals.await(ids, Duration.ofMinutes(5));
        Map<String, Object> m = new LinkedHashMap<>();
        double took = Math.max(1, last - started) / 1000.0;
        m.put("events", events);
        m.put("eventsPerSecond", Math.round(events / took));
        if (rate > 0 && seconds > 0) {
            Map<String, Long> sentAt = new LinkedHashMap<>();
            long pause = 1_000_000_000L / rate;
            long next = System.nanoTime();
            int n = rate * seconds;
            for (int i = 0; i < n; i++) {
                OrderEvent e = order(firstOrder + events + i, rnd);
                sentAt.put(e.getEventId(), System.currentTimeMillis());
                path.publish(e);
                next += pause;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                if (i % rate == 0) {
                    progress.show(name + ": " + rate + " events/s " + ProgressLine.bar(i, n));
                }
            }
            arrivals.await(new ArrayList<>(sentAt.keySet()), Duration.ofMinutes(2));
            long[] lat = sentAt.entrySet().stream()
                    .mapToLong(en -> arrivals.at(en.getKey()) - en.getValue())
                    .sorted()
                    .toArray();
            m.put("latencyRate", rate);
            m.put("p50Millis", lat[(int) (lat.length * 0.50)]);
            m.put("p95Millis", lat[(int) (lat.length * 0.95)]);
            m.put("p99Millis", lat[(int) Math.min(lat.length - 1, lat.length * 0.99)]);
            m.put("maxMillis", lat[lat.length - 1]);
        }
        progress.done(name + ": " + m);
        return m;
    }

    private static OrderEvent order(int i, Random rnd) {
        return OrdersService.place(
                String.format("ord-%08d", i), String.format("cus-%06d", rnd.nextInt(100_000)), rnd, Instant.now());
    }

    /** When each event (by its CloudEvents id) reached the raw topic, as a consumer saw it. */
    static final class Arrivals implements AutoCloseable {
        private final Map<String, Long> arrived = new ConcurrentHashMap<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Arrivals(ClientSettings settings, String topic) {
            Map<String, Object> config = new java.util.HashMap<>(settings.kafkaConfig());
            config.remove("group.id");
            KafkaConsumer<byte[], byte[]> consumer =
                    new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            thread = new Thread(
                    () -> {
                        try (consumer) {
                            while (!stop.get()) {
                                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                                    Header id = r.headers().lastHeader("ce_id");
                                    if (id != null) {
                                        arrived.putIfAbsent(
                                                new String(id.value(), StandardCharsets.UTF_8),
                                                System.currentTimeMillis());
                                    }
                                }
                            }
                        }
                    },
                    "outbox-bench-arrivals");
            thread.setDaemon(true);
            thread.start();
        }

        long at(String id) {
            return arrived.get(id);
        }

        /** Waits until every id arrived; returns the latest arrival time. */
        long await(List<String> ids, Duration timeout) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (!ids.stream().allMatch(arrived::containsKey)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(
                            ids.stream().filter(i -> !arrived.containsKey(i)).count() + " of " + ids.size()
                                    + " events did not reach the raw topic in " + timeout);
                }
                Thread.sleep(20);
            }
            return ids.stream().mapToLong(arrived::get).max().orElse(System.currentTimeMillis());
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(5_000);
        }
    }
}
