package io.backbone.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.backbone.catalog.CatalogSource;
import io.backbone.console.ProgressLine;
import io.backbone.console.Table;
import io.backbone.contract.Masker;
import io.backbone.kafka.ClientSettings;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.platform.LocalPlatform;
import io.backbone.producer.orders.OrdersService;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.GroupProgress;
import io.backbone.provisioning.Provisioner;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.ConfluentAvroSerializer;
import io.backbone.topology.BackboneConfig;
import io.backbone.topology.BackboneTopology;
import io.backbone.topology.StateDirectories;
import io.backbone.topology.dedup.DedupMode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What enforcing contracts costs: the same input through a byte-copying passthrough and through the backbone, in
 * one process on the embedded broker, under each processing guarantee; plus the process's peak memory.
 */
@Command(
        name = "bench",
        description =
                "Measure backbone throughput against a passthrough topology on the embedded broker (same input, "
                        + "same settings, one stream thread, 4 partitions) under exactly-once v2 and at-least-once, and peak memory.")
public final class BenchCommand implements Callable<Integer> {
    static final String INPUT = "orders.raw.order-events";
    static final String PASSTHROUGH_OUT = "bench.product.passthrough.v1";
    static final List<String> GUARANTEES = List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE);

    @Option(names = "--events", defaultValue = "1000000", description = "Input events (default ${DEFAULT-VALUE}).")
    int events;

    @Option(
            names = "--rounds",
            defaultValue = "1",
            description = "Rounds of legs; the median per leg is reported (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "Stream threads of every leg (default ${DEFAULT-VALUE}; the targets are for one).")
    int threads;

    @Option(
            names = "--outbox-events",
            defaultValue = "5000",
            description = "Orders per publishing path in the outbox part (default ${DEFAULT-VALUE}).")
    int outboxEvents;

    @Option(
            names = "--outbox-rate",
            defaultValue = "200",
            description = "Events per second of the outbox part's latency legs, a rate both paths sustain (default"
                    + " ${DEFAULT-VALUE}).")
    int outboxRate;

    @Option(names = "--json", description = "Print the figures as JSON.")
    boolean json;

    @Option(
            names = "--latency-rates",
            split = ",",
            defaultValue = "2000,10000",
            description = "Input rates (events/s) of the latency runs (default ${DEFAULT-VALUE}).")
    List<Integer> latencyRates;

    @Option(
            names = "--latency-seconds",
            defaultValue = "10",
            description = "Length of each latency run (default ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(
            names = "--growth-events",
            defaultValue = "500000",
            description = "Events per leg of the cost-growth series (default ${DEFAULT-VALUE}).")
    int growthEvents;

    @Option(
            names = "--only",
            split = ",",
            description = "Run only these parts: throughput, versions, latency, growth, outbox (default: all; memory is"
                    + " always reported).")
    Set<String> only;

    private boolean runs(String part) {
        return only == null || only.contains(part);
    }

    /** One measured run of one topology over the whole input. */
    record Leg(String topology, String guarantee, int round, long records, double seconds) {
        double perSecond() {
            return records / seconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (events < 1000) {
            throw new IllegalArgumentException("--events " + events + ": give at least 1000");
        }
        if (only != null) {
            for (String part : only) {
                if (!Set.of("throughput", "versions", "latency", "growth", "outbox")
                        .contains(part)) {
                    throw new IllegalArgumentException("--only " + part
                            + ": not a part of the benchmark; give throughput, versions, latency, growth or outbox");
                }
            }
        }
        if (threads < 1 || threads > 4) {
            throw new IllegalArgumentException("--threads " + threads + ": give 1 to 4 (there are 4 partitions)");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds " + rounds + ": give at least 1");
        }
        ProgressLine progress = new ProgressLine(System.err);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("streamThreads", threads);
        try (LocalPlatform platform = LocalPlatform.start(0)) {
            ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
            ProductCatalog catalog = ProductCatalog.load(CatalogSource.classpath("bench-catalog"));
            DataProduct orders = catalog.product("orders");
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig());
            try (Admin admin = settings.admin()) {
                new Provisioner(admin, registry, 4).provision(catalog.products());
                admin.createTopics(List.of(new NewTopic(PASSTHROUGH_OUT, 4, (short) 1)))
                        .all()
                        .get();
            }
            Masker masker = new Masker("benchmark-secret-not-for-production".getBytes(StandardCharsets.UTF_8));
            Map<String, Object> summary = null;
            if (runs("throughput")) {
                summary = throughput(settings, registry, orders, masker, report, progress);
            }
            if (runs("versions")) {
                if (summary == null) {
                    report.put("producerRecordsPerSecond", Math.round(produce(settings, registry, progress)));
                }
                report.put(
                        "versions",
                        versions(settings, registry, orders, catalog.product("orders.v2"), masker, progress));
            }
            if (runs("latency")) {
                List<Map<String, Object>> latency = new ArrayList<>();
                for (String guarantee : GUARANTEES) {
                    for (int rate : latencyRates) {
                        latency.add(latency(settings, registry, orders, masker, guarantee, rate, progress));
                    }
                }
                report.put("latency", latency);
            }
            if (runs("growth")) {
                report.put("growth", growth(settings, registry, masker, progress));
            }
            if (runs("outbox")) {
                report.put(
                        "outbox",
                        OutboxBench.run(settings, catalog, outboxEvents, outboxRate, latencySeconds, progress));
            }
            report.put("memory", memory());
            print(report, summary);
        }
        return 0;
    }

    /** Part 1: the same input through the passthrough and the backbone (each dedup mode), per guarantee. */
    private Map<String, Object> throughput(
            ClientSettings settings,
            RestSchemaRegistryClient registry,
            DataProduct orders,
            Masker masker,
            Map<String, Object> report,
            ProgressLine progress)
            throws Exception {
        double produceRate = produce(settings, registry, progress);
        report.put("events", events);
        report.put("producerRecordsPerSecond", Math.round(produceRate));

        List<Leg> legs = new ArrayList<>();
        // warm-up, not reported: the JIT for both topologies, and the broker's first transactions (the first
        // exactly-once leg of a fresh broker ran at half speed without it)
        run(settings, passthrough(), "warmup/passthrough", StreamsConfig.EXACTLY_ONCE_V2, 0, progress);
        emptyTopics(settings, List.of(orders.productTopic(), orders.dlqTopic()));
        run(
                settings,
                BackboneTopology.topology(List.of(orders), registry, masker, DedupMode.PRODUCT_TOPIC),
                "warmup/backbone",
                StreamsConfig.EXACTLY_ONCE_V2,
                0,
                progress);
        for (int round = 1; round <= rounds; round++) {
            for (String guarantee : GUARANTEES) {
                legs.add(run(settings, passthrough(), "passthrough", guarantee, round, progress));
                for (DedupMode mode : List.of(DedupMode.PRODUCT_TOPIC, DedupMode.CHANGELOG, DedupMode.NONE)) {
                    // every backbone leg starts from empty product and DLQ topics (else it restores, and drops,
                    // the ids the previous leg published)
                    emptyTopics(settings, List.of(orders.productTopic(), orders.dlqTopic()));
                    legs.add(run(
                            settings,
                            BackboneTopology.topology(List.of(orders), registry, masker, mode),
                            "backbone/" + mode.code(),
                            guarantee,
                            round,
                            progress));
                }
            }
        }
        report.put("legs", legs);
        Map<String, Object> summary = new LinkedHashMap<>();
        for (String guarantee : GUARANTEES) {
            double pass = median(legs, "passthrough", guarantee);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("passthroughRecordsPerSecond", Math.round(pass));
            for (DedupMode mode : List.of(DedupMode.PRODUCT_TOPIC, DedupMode.CHANGELOG, DedupMode.NONE)) {
                String leg = "backbone/" + mode.code();
                double rate = median(legs, leg, guarantee);
                row.put(leg + "RecordsPerSecond", Math.round(rate));
                row.put(leg + "Ratio", Math.round(rate / pass * 1000) / 1000.0);
            }
            summary.put(guarantee, row);
        }
        report.put("throughput", summary);
        return summary;
    }

    /**
     * Part 2: the orders product with one live major, then with two (major 2 mapped from the same raw records, fed by
     * the same processor: one decode and the raw contract's corrections shared), exactly-once v2, product-topic dedup.
     */
    private Map<String, Object> versions(
            ClientSettings settings,
            RestSchemaRegistryClient registry,
            DataProduct one,
            DataProduct two,
            Masker masker,
            ProgressLine progress)
            throws Exception {
        List<String> topics = List.of(one.productTopic(), two.productTopic(), one.dlqTopic());
        String guarantee = StreamsConfig.EXACTLY_ONCE_V2;
        emptyTopics(settings, topics);
        run(
                settings,
                BackboneTopology.topology(List.of(one, two), registry, masker, DedupMode.PRODUCT_TOPIC),
                "warmup/two-majors",
                guarantee,
                0,
                progress);
        List<Leg> legs = new ArrayList<>();
        List<String> kinds = List.of("versions/one-major", "versions/two-majors", "versions/two-majors-decoded-twice");
        for (int round = 1; round <= rounds; round++) {
            // rotate which goes first
            for (int i = 0; i < kinds.size(); i++) {
                String kind = kinds.get((i + round - 1) % kinds.size());
                emptyTopics(settings, topics);
                org.apache.kafka.streams.StreamsBuilder builder = new org.apache.kafka.streams.StreamsBuilder();
                BackboneTopology.build(
                        builder,
                        kind.equals("versions/one-major") ? List.of(one) : List.of(one, two),
                        registry,
                        masker,
                        DedupMode.PRODUCT_TOPIC,
                        io.backbone.topology.dedup.ProductHistory.kafka(),
                        !kind.endsWith("decoded-twice"));
                legs.add(run(settings, builder.build(), kind, guarantee, round, progress));
            }
        }
        double single = median(legs, "versions/one-major", guarantee);
        double double_ = median(legs, "versions/two-majors", guarantee);
        double unshared = median(legs, "versions/two-majors-decoded-twice", guarantee);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("guarantee", guarantee);
        out.put("oneMajorRecordsPerSecond", Math.round(single));
        out.put("twoMajorsRecordsPerSecond", Math.round(double_));
        // the second major's time per raw record, as a share of the first's (1.0: it costs as much again)
        double perRecordOne = 1e6 / single;
        double perRecordTwo = 1e6 / double_;
        out.put("microsecondsPerRecordOneMajor", Math.round(perRecordOne * 100) / 100.0);
        out.put("microsecondsPerRecordTwoMajors", Math.round(perRecordTwo * 100) / 100.0);
        out.put("secondMajorShareOfFirst", Math.round((perRecordTwo - perRecordOne) / perRecordOne * 1000) / 1000.0);
        double perRecordUnshared = 1e6 / unshared;
        out.put("twoMajorsDecodedTwiceRecordsPerSecond", Math.round(unshared));
        out.put("microsecondsPerRecordTwoMajorsDecodedTwice", Math.round(perRecordUnshared * 100) / 100.0);
        out.put(
                "secondMajorDecodedTwiceShareOfFirst",
                Math.round((perRecordUnshared - perRecordOne) / perRecordOne * 1000) / 1000.0);
        out.put("legs", legs);
        progress.done(String.format(
                "versions: one major %,.0f rec/s, two majors %,.0f rec/s (the second costs %.0f %% of the first)",
                single, double_, (perRecordTwo - perRecordOne) / perRecordOne * 100));
        return out;
    }

    /** Deletes every record of {@code topics}, so that the next leg starts from empty ones. */
    private static void emptyTopics(ClientSettings settings, List<String> topics) throws Exception {
        try (Admin admin = settings.admin()) {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                    new LinkedHashMap<>();
            admin.describeTopics(topics)
                    .allTopicNames()
                    .get()
                    .values()
                    .forEach(d -> d.partitions()
                            .forEach(pi -> latest.put(
                                    new org.apache.kafka.common.TopicPartition(d.name(), pi.partition()),
                                    org.apache.kafka.clients.admin.OffsetSpec.latest())));
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.RecordsToDelete> delete =
                    new LinkedHashMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get()
                    .forEach((tp, info) ->
                            delete.put(tp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(info.offset())));
            admin.deleteRecords(delete).all().get();
        }
    }

    private double produce(ClientSettings settings, RestSchemaRegistryClient registry, ProgressLine progress)
            throws Exception {
        ConfluentAvroSerializer<OrderEvent> serializer = new ConfluentAvroSerializer<>(registry);
        serializer.configure(settings.clientConfig(), false);
        Random rnd = new Random(42);
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer(settings, 10)) {
            Instant now = Instant.now();
            for (int i = 0; i < events; i++) {
                OrderEvent e = OrdersService.place(
                        String.format("ord-%08d", i), String.format("cus-%06d", rnd.nextInt(100_000)), rnd, now);
                producer.send(new ProducerRecord<>(INPUT, e.getOrderId(), serializer.serialize(INPUT, e)));
                if (i % 20_000 == 0) {
                    progress.show("Producing " + ProgressLine.bar(i, events));
                }
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        progress.done("Produced " + ProgressLine.bar(events, events) + String.format(" in %.1f s", seconds));
        return events / seconds;
    }

    /**
     * Events sent at a fixed rate while the backbone runs; latency is the time from the producer's send (the record
     * timestamp) to the record's arrival in the product topic for a read_committed consumer.
     */
    private Map<String, Object> latency(
            ClientSettings settings,
            RestSchemaRegistryClient registry,
            DataProduct orders,
            Masker masker,
            String guarantee,
            int rate,
            ProgressLine progress)
            throws Exception {
        String appId = "bench-latency-" + guarantee.replace('_', '-') + "-" + rate;
        emptyTopics(settings, List.of(orders.productTopic(), orders.dlqTopic()));
        Path state = Files.createTempDirectory("backbone-bench");
        Properties p = streamsProps(settings, threads, appId, guarantee, state, "latest");
        int total = rate * latencySeconds;
        long[] latencies = new long[total];
        int received = 0;
        Map<String, Object> consumerConfig = new LinkedHashMap<>(Map.of(
                "bootstrap.servers",
                settings.bootstrapServers(),
                "isolation.level",
                "read_committed",
                "enable.auto.commit",
                false));
        ConfluentAvroSerializer<OrderEvent> serializer = new ConfluentAvroSerializer<>(registry);
        serializer.configure(settings.clientConfig(), false);
        try (KafkaStreams streams = new KafkaStreams(
                        BackboneTopology.topology(List.of(orders), registry, masker, DedupMode.PRODUCT_TOPIC), p);
                org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
                        new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                                consumerConfig,
                                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
                KafkaProducer<String, byte[]> producer = producer(settings, 0)) {
            var partitions = consumer.partitionsFor(orders.productTopic()).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            running.await(60, java.util.concurrent.TimeUnit.SECONDS);
            Random rnd = new Random(rate);
            // the clock starts once the tasks process: a first event must have come through
            int warm = 0;
            long warmDeadline = System.nanoTime() + 120_000_000_000L;
            while (consumer.poll(Duration.ofMillis(50)).isEmpty() && System.nanoTime() < warmDeadline) {
                OrderEvent e = OrdersService.place(
                        String.format("warm-%d-%s-%04d", rate, guarantee, warm++), "cus-000001", rnd, Instant.now());
                producer.send(new ProducerRecord<>(INPUT, e.getOrderId(), serializer.serialize(INPUT, e)));
                pause(50);
            }
            while (!consumer.poll(Duration.ofMillis(200)).isEmpty()) {
                // drain the warm-up events
            }
            long started = System.nanoTime();
            int sent = 0;
            long deadline = started + (latencySeconds + 30) * 1_000_000_000L;
            while (received < total && System.nanoTime() < deadline) {
                long due = (long) ((System.nanoTime() - started) / 1e9 * rate);
                while (sent < Math.min(due, total)) {
                    OrderEvent e = OrdersService.place(
                            String.format("lat-%d-%08d", rate, sent), "cus-000001", rnd, Instant.now());
                    producer.send(new ProducerRecord<>(
                            INPUT, null, System.currentTimeMillis(), e.getOrderId(), serializer.serialize(INPUT, e)));
                    sent++;
                }
                for (var r : consumer.poll(Duration.ofMillis(5))) {
                    if (received < total) {
                        latencies[received++] = System.currentTimeMillis() - r.timestamp();
                    }
                }
                progress.show(
                        String.format("latency %-15s %,6d/s %s", guarantee, rate, ProgressLine.bar(received, total)));
            }
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        } finally {
            StateDirectories.deleteQuietly(state);
        }
        long[] sorted = java.util.Arrays.copyOf(latencies, received);
        java.util.Arrays.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("guarantee", guarantee);
        m.put("eventsPerSecond", rate);
        m.put("events", total);
        m.put("received", received);
        m.put("p50Ms", percentile(sorted, 0.50));
        m.put("p95Ms", percentile(sorted, 0.95));
        m.put("p99Ms", percentile(sorted, 0.99));
        m.put("maxMs", sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
        progress.done(String.format(
                "latency %-15s %,6d/s: p50 %s ms, p99 %s ms, max %s ms (%d/%d received)",
                guarantee, rate, m.get("p50Ms"), m.get("p99Ms"), m.get("maxMs"), received, total));
        return m;
    }

    /** Aggregate throughput (exactly-once v2) as the number of products grows, and as the rules per contract grow. */
    private Map<String, Object> growth(
            ClientSettings settings, RestSchemaRegistryClient registry, Masker masker, ProgressLine progress)
            throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> byProducts = new LinkedHashMap<>();
        Map<String, Object> passthroughByProducts = new LinkedHashMap<>();
        for (int k : List.of(1, 10, 50)) {
            // every leg has its own topics: fresh input, empty product topics, nothing restored from another leg
            String series = "p" + k;
            ProductCatalog catalog = ProductCatalog.load(CatalogSource.directory(
                    GeneratedCatalogs.products(Files.createTempDirectory("bench-catalog"), series, k)));
            provisionAndProduce(settings, registry, catalog, growthEvents, progress);
            Topology backbone =
                    BackboneTopology.topology(catalog.products(), registry, masker, DedupMode.PRODUCT_TOPIC);
            // not reported: the first leg over freshly written topics ran up to 3x slower, whichever topology it was
            growthLeg(settings, catalog, passthrough(catalog), "warmup-" + k, progress);
            List<Double> pass = new ArrayList<>();
            List<Double> enforced = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                // alternate which leg goes first: the first to write a fresh set of partitions pays for it
                for (boolean passFirst : round % 2 == 1 ? List.of(true, false) : List.of(false, true)) {
                    emptyTopics(
                            settings,
                            catalog.products().stream()
                                    .map(DataProduct::productTopic)
                                    .toList());
                    String leg = (passFirst ? "passthrough-" : "products-") + k + "-" + round;
                    (passFirst ? pass : enforced)
                            .add(growthLeg(
                                    settings, catalog, passFirst ? passthrough(catalog) : backbone, leg, progress));
                }
            }
            passthroughByProducts.put(String.valueOf(k), Math.round(median(pass)));
            byProducts.put(String.valueOf(k), Math.round(median(enforced)));
        }
        Map<String, Object> byRules = new LinkedHashMap<>();
        for (int r : List.of(1, 10, 30)) {
            ProductCatalog catalog = ProductCatalog.load(CatalogSource.directory(
                    GeneratedCatalogs.rules(Files.createTempDirectory("bench-catalog"), "r" + r, r)));
            provisionAndProduce(settings, registry, catalog, growthEvents, progress);
            Topology backbone =
                    BackboneTopology.topology(catalog.products(), registry, masker, DedupMode.PRODUCT_TOPIC);
            List<Double> rates = new ArrayList<>();
            growthLeg(settings, catalog, backbone, "warmup-rules-" + r, progress);
            for (int round = 1; round <= rounds; round++) {
                emptyTopics(
                        settings,
                        catalog.products().stream()
                                .map(DataProduct::productTopic)
                                .toList());
                rates.add(growthLeg(settings, catalog, backbone, "rules-" + r + "-" + round, progress));
            }
            byRules.put(String.valueOf(r), Math.round(median(rates)));
        }
        out.put("recordsPerSecondByProducts", byProducts);
        out.put("passthroughRecordsPerSecondByProducts", passthroughByProducts);
        out.put("recordsPerSecondByRules", byRules);
        return out;
    }

    /** Bytes copied from each product's raw topic to its product topic: the ceiling for the same fan-out. */
    private static Topology passthrough(ProductCatalog catalog) {
        StreamsBuilder b = new StreamsBuilder();
        for (DataProduct d : catalog.products()) {
            b.stream(d.rawTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                    .to(d.productTopic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        }
        return b.build();
    }

    private void provisionAndProduce(
            ClientSettings settings,
            RestSchemaRegistryClient registry,
            ProductCatalog catalog,
            int total,
            ProgressLine progress)
            throws Exception {
        try (Admin admin = settings.admin()) {
            new Provisioner(admin, registry, 4).provision(catalog.products());
        }
        ConfluentAvroSerializer<OrderEvent> serializer = new ConfluentAvroSerializer<>(registry);
        serializer.configure(settings.clientConfig(), false);
        List<String> topics =
                catalog.products().stream().map(DataProduct::rawTopic).toList();
        Random rnd = new Random(total);
        try (KafkaProducer<String, byte[]> producer = producer(settings, 10)) {
            Instant now = Instant.now();
            for (int i = 0; i < total; i++) {
                String topic = topics.get(i % topics.size());
                OrderEvent e = OrdersService.place(String.format("g-%08d", i), "cus-000001", rnd, now);
                producer.send(new ProducerRecord<>(topic, e.getOrderId(), serializer.serialize(topic, e)));
            }
            producer.flush();
        }
        progress.done("Produced " + total + " events over " + topics.size() + " raw topic(s)");
    }

    /** One exactly-once leg of {@code topology} over {@code catalog}'s raw topics, timed from RUNNING to committed. */
    private double growthLeg(
            ClientSettings settings, ProductCatalog catalog, Topology topology, String name, ProgressLine progress)
            throws Exception {
        String appId = "bench-growth-" + name;
        Path state = Files.createTempDirectory("backbone-bench");
        Properties p = streamsProps(settings, threads, appId, StreamsConfig.EXACTLY_ONCE_V2, state, "earliest");
        Set<String> inputs = new java.util.HashSet<>();
        catalog.products().forEach(d -> inputs.add(d.rawTopic()));
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        try (Admin admin = settings.admin();
                KafkaStreams streams = new KafkaStreams(topology, p)) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            running.await(120, java.util.concurrent.TimeUnit.SECONDS);
            long started = System.nanoTime();
            long[] done;
            do {
                pause(100);
                done = GroupProgress.of(admin, appId, inputs);
                progress.show(String.format("growth %-12s %s", name, ProgressLine.bar(done[0], done[1])));
            } while (done[0] < done[1]);
            double seconds = (System.nanoTime() - started) / 1e9;
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            progress.done(String.format(
                    "growth %-12s %,d records in %.1f s: %,.0f records/s", name, done[1], seconds, done[1] / seconds));
            return done[1] / seconds;
        } finally {
            StateDirectories.deleteQuietly(state);
        }
    }

    /** A table with a bar per row, relative to the first row. */
    static void chart(String title, String label, Map<String, Object> series) {
        System.out.println(title);
        double first = ((Number) series.values().iterator().next()).doubleValue();
        double max = series.values().stream()
                .mapToDouble(v -> ((Number) v).doubleValue())
                .max()
                .orElse(1);
        Table t = new Table(label, "rec/s", "vs first", "");
        series.forEach((k, v) -> {
            double rate = ((Number) v).doubleValue();
            t.row(k, v, String.format("%.2f", rate / first), "#".repeat((int) Math.round(rate / max * 40)));
        });
        System.out.print(t.render());
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static Topology passthrough() {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(INPUT, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(PASSTHROUGH_OUT, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return b.build();
    }

    private Leg run(
            ClientSettings settings, Topology topology, String name, String guarantee, int round, ProgressLine progress)
            throws IOException {
        String appId = "bench-" + name.replace('/', '-') + "-" + guarantee.replace('_', '-') + "-" + round;
        Path state = Files.createTempDirectory("backbone-bench");
        Properties p = streamsProps(settings, threads, appId, guarantee, state, "earliest");
        long started;
        long[] done;
        try (Admin admin = settings.admin();
                KafkaStreams streams = new KafkaStreams(topology, p)) {
            started = System.nanoTime();
            streams.start();
            do {
                pause(100);
                done = GroupProgress.of(admin, appId, Set.of(INPUT));
                progress.show(String.format("%-23s %-15s %s", name, guarantee, ProgressLine.bar(done[0], done[1])));
            } while (done[0] < done[1]);
            double seconds = (System.nanoTime() - started) / 1e9;
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            progress.done(String.format(
                    "%-23s %-15s %,d records in %.1f s: %,.0f records/s",
                    name, guarantee, done[1], seconds, done[1] / seconds));
            return new Leg(name, guarantee, round, done[1], seconds);
        } finally {
            StateDirectories.deleteQuietly(state);
        }
    }

    /**
     * The benchmark's producers: idempotent, {@code acks=all}; with a linger they batch and compress (throughput
     * input), without one each record is sent at once (latency input).
     */
    private static KafkaProducer<String, byte[]> producer(ClientSettings settings, int lingerMs) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("bootstrap.servers", settings.bootstrapServers());
        config.put("acks", "all");
        config.put("enable.idempotence", true);
        config.put("linger.ms", lingerMs);
        if (lingerMs > 0) {
            config.put("batch.size", 262_144);
            config.put("compression.type", "lz4");
        }
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** The settings every leg shares, starting from the backbone's own Kafka Streams defaults (like for like). */
    private static Properties streamsProps(
            ClientSettings settings, int threads, String appId, String guarantee, Path state, String offsetReset) {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        given.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        given.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        given.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        // the same commit interval for both guarantees, so that progress is observed at the same granularity
        given.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        given.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        given.put("auto.offset.reset", offsetReset);
        Properties p = new Properties();
        p.putAll(BackboneConfig.streamsProperties(given));
        return p;
    }

    private static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1
                ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static double median(List<Leg> legs, String topology, String guarantee) {
        return median(legs.stream()
                .filter(l -> l.topology().equals(topology) && l.guarantee().equals(guarantee))
                .map(Leg::perSecond)
                .toList());
    }

    /** Peak heap (sum of the heap pools' peaks) and peak resident set size of this process. */
    static Map<String, Object> memory() {
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        long peakRss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakRss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not on Linux: resident memory stays unknown (-1)
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peakHeapMiB", peakHeap / (1024 * 1024));
        m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        m.put("peakResidentMiB", peakRss < 0 ? -1 : peakRss / (1024 * 1024));
        return m;
    }

    private void print(Map<String, Object> report, Map<String, Object> summary) throws IOException {
        if (json) {
            System.out.println(new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report));
            return;
        }
        if (summary != null) {
            System.out.println();
            System.out.printf(
                    "Throughput, %,d Confluent-framed Avro orders, 4 partitions, %d stream thread(s) (median of %d round(s))%n",
                    events, threads, rounds);
            Table t = new Table(
                    "guarantee",
                    "passthrough rec/s",
                    "backbone rec/s",
                    "backbone / passthrough",
                    "dedup via changelog rec/s",
                    "/ passthrough",
                    "no dedup rec/s",
                    "/ passthrough");
            summary.forEach((g, v) -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) v;
                t.row(
                        g,
                        m.get("passthroughRecordsPerSecond"),
                        m.get("backbone/product-topicRecordsPerSecond"),
                        m.get("backbone/product-topicRatio"),
                        m.get("backbone/changelogRecordsPerSecond"),
                        m.get("backbone/changelogRatio"),
                        m.get("backbone/noneRecordsPerSecond"),
                        m.get("backbone/noneRatio"));
            });
            System.out.print(t.render());
            System.out.println(
                    "Producer (idempotent, acks=all): " + report.get("producerRecordsPerSecond") + " records/s");
            System.out.println();
        }
        if (report.containsKey("versions")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> v = (Map<String, Object>) report.get("versions");
            System.out.printf(
                    "Live majors of one product, %,d orders, exactly-once v2 (median of %d round(s))%n",
                    events, rounds);
            Table t = new Table("live majors", "raw rec/s", "µs per raw record", "second major / first");
            t.row("1 (orders.v1)", v.get("oneMajorRecordsPerSecond"), v.get("microsecondsPerRecordOneMajor"), "");
            t.row(
                    "2 (+ orders.v2, mapped)",
                    v.get("twoMajorsRecordsPerSecond"),
                    v.get("microsecondsPerRecordTwoMajors"),
                    v.get("secondMajorShareOfFirst"));
            t.row(
                    "2, each decoding on its own",
                    v.get("twoMajorsDecodedTwiceRecordsPerSecond"),
                    v.get("microsecondsPerRecordTwoMajorsDecodedTwice"),
                    v.get("secondMajorDecodedTwiceShareOfFirst"));
            System.out.print(t.render());
            System.out.println();
        }
        if (report.containsKey("latency")) {
            System.out.println(
                    "Latency, producer send → product topic (read_committed), backbone with product-topic dedup");
            Table l = new Table("guarantee", "events/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "received");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> latency = (List<Map<String, Object>>) report.get("latency");
            latency.forEach(m -> l.row(
                    m.get("guarantee"),
                    m.get("eventsPerSecond"),
                    m.get("p50Ms"),
                    m.get("p95Ms"),
                    m.get("p99Ms"),
                    m.get("maxMs"),
                    m.get("received") + "/" + m.get("events")));
            System.out.print(l.render());
            System.out.println();
        }
        if (report.containsKey("growth")) {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> growth = (Map<String, Map<String, Object>>) report.get("growth");
            chart(
                    "Aggregate throughput (exactly-once v2) by number of products",
                    "products",
                    growth.get("recordsPerSecondByProducts"));
            chart(
                    "Passthrough over the same topics (the ceiling for that fan-out)",
                    "products",
                    growth.get("passthroughRecordsPerSecondByProducts"));
            chart("Throughput (exactly-once v2) by rules per contract", "rules", growth.get("recordsPerSecondByRules"));
        }
        if (report.containsKey("outbox")) {
            System.out.println("The orders service publishing directly and through its transactional outbox"
                    + " (send or commit → a consumer of the raw topic)");
            Table o = new Table(
                    "path", "events", "events/s", "latency at events/s", "p50 ms", "p95 ms", "p99 ms", "max ms");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> outbox = (Map<String, Map<String, Object>>) report.get("outbox");
            outbox.forEach((path, m) -> o.row(
                    path,
                    m.get("events"),
                    m.get("eventsPerSecond"),
                    m.get("latencyRate"),
                    m.get("p50Millis"),
                    m.get("p95Millis"),
                    m.get("p99Millis"),
                    m.get("maxMillis")));
            System.out.print(o.render());
            System.out.println();
        }
        System.out.println("Memory: " + report.get("memory"));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
