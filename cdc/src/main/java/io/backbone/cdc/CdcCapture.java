package io.backbone.cdc;

import io.backbone.contract.CompiledContract;
import io.backbone.kafka.ClientSettings;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.registry.SchemaRegistryClient;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change data capture from a domain's PostgreSQL tables into its raw topics: Debezium's embedded engine reads the
 * write-ahead log through {@code pgoutput} (an initial snapshot, then streaming) and each change is written, as
 * Confluent-framed Avro through this project's serde, to {@code <domain>.raw.<table>-changes}. A batch's position is
 * committed (to the Kafka topic {@code _backbone.cdc-offsets.<domain>}) only after Kafka acknowledged every change of
 * it, so a crash loses nothing and repeats at most the changes since the last commit, which the products drop by
 * their change id. A broker or database outage is waited out for as long as it lasts.
 */
public final class CdcCapture implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CdcCapture.class);

    /** Where the database is and who the capture connects as. */
    public record Database(String host, int port, String name, String user, String password) {
        /** Parses {@code jdbc:postgresql://host[:port]/database}; anything else is an IllegalArgumentException. */
        public static Database fromJdbcUrl(String url, String user, String password) {
            if (url == null || !url.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("--jdbc-url '" + url
                        + "' is not a PostgreSQL JDBC URL; write jdbc:postgresql://<host>:<port>/<database>");
            }
            URI uri = URI.create(url.substring("jdbc:".length()));
            String db = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            if (uri.getHost() == null || db.isEmpty()) {
                throw new IllegalArgumentException("--jdbc-url '" + url
                        + "' names no host or database; write jdbc:postgresql://<host>:<port>/<database>");
            }
            return new Database(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password);
        }

        @Override
        public String toString() {
            return "postgresql://" + user + "@" + host + ":" + port + "/" + name; // never the password
        }
    }

    /**
     * What to capture: the domain, its tables ({@code schema.table}), the database, the cluster and registry, the
     * contracts of the raw topics (by topic; a table without one is captured but not checked), and the replication
     * factor of the offsets topic (-1: the broker's default).
     */
    public record Settings(
            String domain,
            List<String> tables,
            Database database,
            ClientSettings kafka,
            Map<String, CompiledContract> contracts,
            short offsetsReplication) {}

    /**
     * What an outbox relay reads: the outbox table ({@code schema.table}) of {@code domain}'s service in its
     * database, and the raw topics its events go to (each row names its own; these must exist).
     */
    public record OutboxSettings(
            String domain,
            String table,
            List<String> topics,
            Database database,
            ClientSettings kafka,
            short offsetsReplication) {}

    /** What a progress line shows. */
    /** {@code refused}: outbox rows moved aside because they named no raw topic of the domain. */
    public record Status(String phase, Map<String, Long> captured, String waiting, long refused) {}

    private final String name;
    private final String slot;
    private final String offsets;
    private final List<String> tables;
    private final List<String> topics;
    private final Database database;
    private final ClientSettings kafka;
    private final short offsetsReplication;
    private final Map<String, String> engineProperties = new LinkedHashMap<>();
    private final Map<String, Long> captured = new java.util.concurrent.ConcurrentHashMap<>();
    /** Where an outbox relay moves rows that name a topic outside its domain's raw topics; null for a table capture. */
    private String refusedTopic;

    private String outboxDomain;

    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    /** How an outbox router's record becomes a Kafka record; null for a table capture (its TableStreams). */
    private final java.util.function.Function<SourceRecord, ProducerRecord<byte[], byte[]>> mapper;

    private final SchemaRegistryClient registry;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, TableStream> streams = new LinkedHashMap<>();
    private final CompletableFuture<String> stopped = new CompletableFuture<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cdc-" + r.hashCode());
        t.setDaemon(false);
        return t;
    });
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile String phase = "starting";
    private volatile String waiting;
    private volatile CaptureStoppedException failure;

    /** A capture of {@code settings}' tables into {@code <domain>.raw.<table>-changes}. */
    public CdcCapture(Settings settings) {
        this(
                "backbone-cdc-" + settings.domain(),
                slot(settings.domain()),
                offsetsTopic(settings.domain()),
                settings.tables(),
                settings.tables().stream()
                        .map(t -> rawTopic(settings.domain(), t))
                        .toList(),
                settings.database(),
                settings.kafka(),
                settings.offsetsReplication(),
                null);
        for (String table : settings.tables()) {
            String topic = rawTopic(settings.domain(), table);
            streams.put(
                    table,
                    new TableStream(
                            settings.domain(), table, settings.contracts().get(topic), registry));
        }
    }

    /**
     * An outbox relay: every event a service wrote into its outbox table (see the producer library's
     * {@code OutboxPublisher}) goes, bytes unchanged, to the raw topic its row names, keyed by the aggregate id, with
     * its CloudEvents headers; Debezium's outbox event router does the routing.
     */
    public CdcCapture(OutboxSettings settings) {
        this(
                "backbone-outbox-" + settings.domain(),
                io.backbone.product.PlatformTopics.outboxSlot(settings.domain()),
                io.backbone.product.PlatformTopics.outboxOffsets(settings.domain()),
                List.of(settings.table()),
                settings.topics(),
                settings.database(),
                settings.kafka(),
                settings.offsetsReplication(),
                CdcCapture::outboxRecord);
        this.refusedTopic = io.backbone.product.PlatformTopics.outboxRefused(settings.domain());
        this.outboxDomain = settings.domain();
        engineProperties.put("transforms", "outbox");
        engineProperties.put("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        engineProperties.put("transforms.outbox.table.field.event.id", "id");
        engineProperties.put("transforms.outbox.table.field.event.key", "aggregateid");
        engineProperties.put("transforms.outbox.table.field.event.payload", "payload");
        engineProperties.put("transforms.outbox.route.by.field", "topic");
        engineProperties.put("transforms.outbox.route.topic.replacement", "${routedByValue}");
        engineProperties.put(
                "transforms.outbox.table.fields.additional.placement",
                "id:header:ce_id,type:header:ce_type,source:header:ce_source,occurred_at:header:ce_time,"
                        + "aggregateid:header:ce_subject");
        engineProperties.put("transforms.outbox.table.expand.json.payload", "false");
    }

    private CdcCapture(
            String name,
            String slot,
            String offsets,
            List<String> tables,
            List<String> topics,
            Database database,
            ClientSettings kafka,
            short offsetsReplication,
            java.util.function.Function<SourceRecord, ProducerRecord<byte[], byte[]>> mapper) {
        this.name = name;
        this.slot = slot;
        this.offsets = offsets;
        this.tables = tables;
        this.topics = topics;
        this.database = database;
        this.kafka = kafka;
        this.offsetsReplication = offsetsReplication;
        this.mapper = mapper;
        tables.forEach(t -> captured.put(t, 0L));
        this.registry = new RestSchemaRegistryClient(kafka.clientConfig());
        Map<String, Object> config = new HashMap<>(kafka.kafkaConfig());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // a change is never given up: an outage is waited out, in order (an expired batch would reorder a row's
        // changes)
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, name);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** {@code inventory}, {@code inventory.stock} → {@code inventory.raw.stock-changes}. */
    public static String rawTopic(String domain, String table) {
        String name = table.substring(table.indexOf('.') + 1)
                .toLowerCase(java.util.Locale.ROOT)
                .replace('_', '-');
        return domain + ".raw." + name + "-changes";
    }

    /** Where the capture of {@code domain} keeps its positions in the write-ahead log. */
    public static String offsetsTopic(String domain) {
        return io.backbone.product.PlatformTopics.cdcOffsets(domain);
    }

    /** The replication slot and publication of {@code domain}'s capture. */
    public static String slot(String domain) {
        return "backbone_" + domain.replace('-', '_');
    }

    /**
     * Starts the engine on its own thread; {@link #stopped()} completes when it ends. A raw topic that does not exist
     * is a {@link CaptureStoppedException}: topics are the platform's to create (provision), with the contract's
     * partitions and retention, not the capture's.
     */
    public void start() {
        checkTopics();
        Properties props = new Properties();
        kafka.kafkaConfig().forEach((k, v) -> props.put(k, String.valueOf(v)));
        props.put("name", name);
        props.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        props.put("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        props.put("offset.storage.topic", offsets);
        props.put("offset.storage.partitions", "1");
        props.put("offset.storage.replication.factor", String.valueOf(offsetsReplication));
        props.put("offset.flush.interval.ms", "1000");
        props.put("offset.flush.timeout.ms", "10000");
        props.put("database.hostname", database.host());
        props.put("database.port", String.valueOf(database.port()));
        props.put("database.user", database.user());
        props.put("database.password", database.password() == null ? "" : database.password());
        props.put("database.dbname", database.name());
        props.put("topic.prefix", name);
        props.put("plugin.name", "pgoutput");
        props.put("slot.name", slot);
        props.put("publication.name", slot);
        props.put("publication.autocreate.mode", "filtered");
        props.put("table.include.list", String.join(",", tables));
        props.put("tombstones.on.delete", "false");
        props.put("decimal.handling.mode", "string");
        props.put("snapshot.mode", mapper == null ? "initial" : "no_data");
        // how long the engine waits for more changes before it hands a batch over (Debezium's default: 500 ms)
        props.put("poll.interval.ms", "50");
        // a database that goes away is retried for as long as it is away, never given up
        props.put("errors.max.retries", "-1");
        props.put("errors.retry.delay.initial.ms", "1000");
        props.put("errors.retry.delay.max.ms", "10000");
        props.putAll(engineProperties);
        engine = DebeziumEngine.create(ChangeEventFormat.of(io.debezium.embedded.Connect.class))
                .using(props)
                .using((success, message, error) -> {
                    if (failure != null) {
                        stopped.complete(failure.getMessage());
                    } else if (success) {
                        stopped.complete(null);
                    } else {
                        stopped.complete(oneLine(message, error));
                    }
                })
                .notifying(this::handleBatch)
                .build();
        executor.execute(engine);
        LOG.info("Capturing {} from {} into {} (positions in {})", tables, database, topics, offsets);
    }

    private void checkTopics() {
        try (org.apache.kafka.clients.admin.Admin admin = kafka.admin()) {
            java.util.Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<String> missing =
                    topics.stream().filter(t -> !existing.contains(t)).toList();
            if (!missing.isEmpty()) {
                throw new CaptureStoppedException("topic " + String.join(", ", missing) + " does not exist on "
                        + kafka.bootstrapServers() + "; create it with 'backbone provision' (every raw"
                        + " topic of the catalog, with its contract's retention), then start the capture again");
            }
            if (refusedTopic != null && !existing.contains(refusedTopic)) {
                try {
                    admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(
                                    refusedTopic, java.util.Optional.of(1), java.util.Optional.empty())))
                            .all()
                            .get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new CaptureStoppedException(
                    "cannot list the topics of " + kafka.bootstrapServers() + ": "
                            + (e.getCause() == null
                                    ? e.getMessage()
                                    : e.getCause().getMessage()),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureStoppedException("interrupted", e);
        }
    }

    /** The outbox router's record: topic, key and payload bytes as the service wrote them, CloudEvents headers. */
    private static ProducerRecord<byte[], byte[]> outboxRecord(SourceRecord r) {
        org.apache.kafka.common.header.internals.RecordHeaders headers =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (org.apache.kafka.connect.header.Header h : r.headers()) {
            if (h.key().startsWith("ce_") && h.value() != null) {
                headers.add(h.key(), h.value().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        headers.add("content-type", "application/avro".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Object key = r.key();
        Object value = r.value();
        byte[] bytes = value instanceof java.nio.ByteBuffer b ? toArray(b) : (byte[]) value;
        return new ProducerRecord<>(
                r.topic(),
                null,
                key == null ? null : key.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                bytes,
                headers);
    }

    /**
     * A row that names a topic outside the domain's raw topics: another domain's stream, or one that does not exist
     * (the producer would wait for its metadata for ever). It goes, unchanged but for the reason, to the refused
     * topic, so that the relay goes on.
     */
    private ProducerRecord<byte[], byte[]> movedAside(ProducerRecord<byte[], byte[]> out, SourceRecord r) {
        org.apache.kafka.connect.header.Header idHeader = r.headers().lastWithName("id");
        String rowId = idHeader == null || idHeader.value() == null
                ? String.valueOf(r.sourceOffset())
                : idHeader.value().toString();
        String reason = "outbox row " + rowId + " names topic " + out.topic() + ", not one of the raw topics of domain "
                + outboxDomain + " " + topics;
        refused.incrementAndGet();
        LOG.warn("Refused {}; moved aside to {} and relaying on", reason, refusedTopic);
        out.headers().add("backbone.refused.reason", reason.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.headers().add("backbone.refused.topic", out.topic().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new ProducerRecord<>(refusedTopic, null, out.key(), out.value(), out.headers());
    }

    private static byte[] toArray(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static String oneLine(String message, Throwable error) {
        Throwable root = error;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root == null ? message : root.getMessage();
        return ("the capture stopped: " + why).replace('\n', ' ');
    }

    /** Completes with null when the capture was closed, or with the one-line reason it stopped by itself. */
    public CompletableFuture<String> stopped() {
        return stopped;
    }

    public Status status() {
        return new Status(phase, new java.util.TreeMap<>(captured), waiting, refused.get());
    }

    private void handleBatch(
            List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        List<String> where = new ArrayList<>(records.size());
        try {
            for (RecordChangeEvent<SourceRecord> event : records) {
                SourceRecord r = event.record();
                ProducerRecord<byte[], byte[]> out;
                String table;
                if (mapper != null) {
                    // after the outbox router: the event itself, or nothing (the row's delete)
                    out = r.value() == null ? null : mapper.apply(r);
                    table = tables.get(0);
                    phase = "streaming";
                    if (out != null && !topics.contains(out.topic())) {
                        out = movedAside(out, r);
                    }
                } else {
                    if (!(r.value() instanceof Struct value) || value.schema().field("op") == null) {
                        continue; // heartbeats and other records that are no row change
                    }
                    Struct source = value.getStruct("source");
                    table = source.getString("schema") + "." + source.getString("table");
                    TableStream stream = streams.get(table);
                    if (stream == null) {
                        continue;
                    }
                    String snapshot = source.getString("snapshot");
                    phase = snapshot == null || snapshot.equals("false") ? "streaming" : "snapshot";
                    out = stream.toRecord(r);
                }
                if (out == null) {
                    continue;
                }
                sent.add(send(out));
                where.add(out.topic() + " from " + table + " (" + r.sourceOffset() + ")");
                captured.merge(table, 1L, Long::sum);
            }
            for (int i = 0; i < sent.size(); i++) {
                await(sent.get(i), where.get(i));
            }
        } catch (CaptureStoppedException e) {
            failure = e;
            LOG.error(e.getMessage());
            throw e;
        }
        waiting = null;
        for (RecordChangeEvent<SourceRecord> event : records) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
    }

    /** Sends, waiting for as long as the cluster's metadata is unavailable (nothing later is sent meanwhile). */
    private Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) throws InterruptedException {
        long since = System.currentTimeMillis();
        while (true) {
            try {
                return producer.send(record);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                waitingFor(record.topic(), since);
            }
        }
    }

    private void await(Future<RecordMetadata> future, String what) throws InterruptedException {
        long since = System.currentTimeMillis();
        while (true) {
            try {
                future.get(10, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException e) {
                waitingFor(what, since);
            } catch (ExecutionException e) {
                // retriable errors are retried by the producer without end; what comes back here will not heal itself
                throw new CaptureStoppedException(
                        "cannot write the change of " + what + ": "
                                + e.getCause().getMessage()
                                + "; fix the cluster or the capture's principal and start the capture again",
                        e.getCause());
            }
        }
    }

    private void waitingFor(String what, long since) {
        long seconds = (System.currentTimeMillis() - since) / 1000;
        waiting = "waiting " + seconds + " s for Kafka at " + kafka.bootstrapServers();
        LOG.warn(
                "Kafka at {} has not acknowledged {} for {} s; waiting (nothing is lost or skipped)",
                kafka.bootstrapServers(),
                what,
                seconds);
    }

    @Override
    public void close() {
        try {
            if (engine != null) {
                engine.close();
            }
        } catch (java.io.IOException | IllegalStateException e) {
            // IllegalStateException: the engine had stopped by itself (see stopped())
            LOG.debug("Closing the capture engine: {}", e.getMessage());
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("The capture engine did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
        try {
            registry.close();
        } catch (Exception e) {
            LOG.debug("Closing the registry client: {}", e.getMessage());
        }
        stopped.complete(null);
    }
}
