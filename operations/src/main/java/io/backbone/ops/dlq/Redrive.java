package io.backbone.ops.dlq;

import io.backbone.dlq.DeadLetter;
import io.backbone.product.PlatformTopics;
import io.backbone.registry.SchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends dead letters back to the raw topic they came from, once the contract or the producer is fixed.
 *
 * <p>Each selected dead letter is re-published with its original key, value bytes, headers and timestamp, plus
 * {@code backbone.redrive.count} and {@code backbone.redrive.from}; the backbone keeps both on the record, so its
 * product or DLQ record says where it came from. <b>Exactly once:</b> the re-published records and the progress
 * records on {@link PlatformTopics#REDRIVE} (one per dead letter, key {@code <dlq>/<partition>/<offset>}) are written
 * in one Kafka transaction per batch; a dead letter whose progress record is committed is never sent again, however
 * often the redrive is run or interrupted, and a second redrive of the same topic fences the first. <b>Loop
 * guard:</b> a dead letter that has already been redriven {@code maxAttempts} times goes to
 * {@code <dlq>.parked} instead, with all its headers as its history. <b>Only to its feeds:</b> a dead letter is sent
 * only to a raw topic that the catalog says feeds its DLQ ({@link Options#feeds}), whatever its headers name.
 * <b>Poison pills</b> (stage {@code deserialize},
 * bytes that still do not decode) are refused unless forced: no contract fix can make them valid.
 */
public final class Redrive {
    private static final int BATCH = 200;

    public record Options(
            String dlqTopic,
            String rule,
            String stage,
            long since,
            long until,
            long limit,
            int maxAttempts,
            boolean dryRun,
            boolean force,
            Set<String> feeds) {}

    /** What a redrive did (or, dry, would do). */
    public record Outcome(
            long read,
            Map<String, Long> redriven,
            long parked,
            long alreadyRedriven,
            long filteredOut,
            long poisonRefused,
            long noProvenance,
            long notAFeed,
            List<String> refusals) {
        public long redrivenTotal() {
            return redriven.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Map<String, Object> clientConfig;
    private final SchemaRegistryClient registry;

    public Redrive(Map<String, Object> clientConfig, SchemaRegistryClient registry) {
        this.clientConfig = clientConfig;
        this.registry = registry;
    }

    public Outcome run(Options o, Consumer<String> progress) {
        Set<String> done = redriven(clientConfig, o.dlqTopic());
        String parkedTopic = PlatformTopics.parked(o.dlqTopic());
        if (!o.dryRun()) {
            ensureTopics(o.dlqTopic(), parkedTopic);
        }
        AvroDecoder decoder = AvroDecoder.generic(registry);
        Map<String, Long> redriven = new TreeMap<>();
        long[] counts = new long[7]; // parked, already, filtered, poison, no provenance, selected, not a feed
        List<String> refusals = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
        KafkaProducer<byte[], byte[]> producer = o.dryRun() ? null : producer(o.dlqTopic());
        try {
            long read = DeadLetters.readAll(clientConfig, o.dlqTopic(), o.since(), r -> {
                String position = DeadLetters.position(r);
                if (done.contains(position)) {
                    counts[1]++;
                    return;
                }
                String stage = DeadLetters.header(r, DeadLetter.STAGE);
                String rule = DeadLetters.header(r, DeadLetter.RULE);
                if ((o.until() >= 0 && r.timestamp() > o.until())
                        || (o.stage() != null && !o.stage().equals(stage))
                        || (o.rule() != null && !o.rule().equals(rule))
                        || (o.limit() >= 0 && counts[5] >= o.limit())) {
                    counts[2]++;
                    return;
                }
                String source = DeadLetters.header(r, DeadLetter.TOPIC);
                if (source == null || source.isBlank() || DeadLetters.header(r, DeadLetter.FORMAT) == null) {
                    counts[4]++;
                    note(refusals, position + ": no provenance headers (not written by the backbone); skipped");
                    return;
                }
                if (!o.feeds().contains(source)) {
                    // the header is the record's word, not the catalog's: a join's dead letter names product topics
                    counts[6]++;
                    note(
                            refusals,
                            position + ": its source " + source + " is not a raw topic that feeds " + o.dlqTopic()
                                    + " (the catalog's: "
                                    + (o.feeds().isEmpty() ? "none" : String.join(", ", o.feeds()))
                                    + "); redrive writes only there, skipped");
                    return;
                }
                if ("deserialize".equals(stage) && !o.force()) {
                    Optional<String> why = undecodable(decoder, r.value());
                    if (why.isPresent()) {
                        counts[3]++;
                        note(
                                refusals,
                                position + ": " + why.get()
                                        + "; no contract fix makes it valid (--force sends it anyway)");
                        return;
                    }
                }
                counts[5]++;
                int attempts = DeadLetters.redriveCount(r);
                ProducerRecord<byte[], byte[]> out;
                String to;
                if (attempts >= o.maxAttempts()) {
                    RecordHeaders history = new RecordHeaders(r.headers().toArray());
                    history.remove(DeadLetter.PARKED_REASON);
                    history.add(
                            DeadLetter.PARKED_REASON,
                            ("redriven " + attempts + " times (--max-attempts " + o.maxAttempts()
                                            + ") and dead-lettered" + " again at " + position + "; parked at "
                                            + Instant.now())
                                    .getBytes(StandardCharsets.UTF_8));
                    out = new ProducerRecord<>(
                            parkedTopic,
                            r.partition() % partitions(parkedTopic),
                            r.timestamp(),
                            r.key(),
                            r.value(),
                            history);
                    to = parkedTopic;
                    counts[0]++;
                } else {
                    RecordHeaders headers = new RecordHeaders();
                    for (Header h : r.headers()) {
                        if (!DeadLetter.isReserved(h.key())
                                && !h.key().equals(DeadLetter.REDRIVE_COUNT)
                                && !h.key().equals(DeadLetter.REDRIVE_FROM)) {
                            headers.add(h);
                        }
                    }
                    headers.add(
                            DeadLetter.REDRIVE_COUNT,
                            String.valueOf(attempts + 1).getBytes(StandardCharsets.UTF_8));
                    headers.add(DeadLetter.REDRIVE_FROM, position.getBytes(StandardCharsets.UTF_8));
                    out = new ProducerRecord<>(
                            source, originalPartition(r), originalTimestamp(r), r.key(), r.value(), headers);
                    to = source;
                    redriven.merge(source, 1L, Long::sum);
                }
                if (producer != null) {
                    batch.add(out);
                    batch.add(new ProducerRecord<>(
                            PlatformTopics.REDRIVE,
                            position.getBytes(StandardCharsets.UTF_8),
                            ("{\"to\":\"" + to + "\",\"attempt\":" + (attempts + 1) + ",\"at\":\"" + Instant.now()
                                            + "\"}")
                                    .getBytes(StandardCharsets.UTF_8)));
                    if (batch.size() >= 2 * BATCH) {
                        commit(producer, batch);
                        progress.accept(String.format(
                                "redrive %s: %,d redriven, %,d parked, %,d skipped",
                                o.dlqTopic(), sum(redriven), counts[0], counts[1] + counts[2] + counts[3] + counts[4]));
                    }
                }
            });
            if (producer != null && !batch.isEmpty()) {
                commit(producer, batch);
            }
            return new Outcome(
                    read, redriven, counts[0], counts[1], counts[2], counts[3], counts[4], counts[6], refusals);
        } finally {
            if (producer != null) {
                producer.close();
            }
            if (admin != null) {
                admin.close();
                admin = null;
            }
        }
    }

    private final Map<String, Integer> partitionCounts = new HashMap<>();
    /** One admin client per run, for every topic whose partitions it asks about (closed when the run ends). */
    private Admin admin;

    private int partitions(String topic) {
        return partitionCounts.computeIfAbsent(topic, t -> {
            if (admin == null) {
                admin = Admin.create(clientConfig);
            }
            try {
                TopicDescription d =
                        admin.describeTopics(List.of(t)).allTopicNames().get().get(t);
                return d.partitions().size();
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "cannot describe " + t + ": " + e.getCause().getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** The partition the record was read from in its source topic, while that topic still has it; else by key. */
    private Integer originalPartition(ConsumerRecord<byte[], byte[]> r) {
        String p = DeadLetters.header(r, DeadLetter.PARTITION);
        String source = DeadLetters.header(r, DeadLetter.TOPIC);
        try {
            int partition = Integer.parseInt(p == null ? "-1" : p.trim());
            return partition >= 0 && partition < partitions(source) ? partition : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long originalTimestamp(ConsumerRecord<byte[], byte[]> r) {
        String t = DeadLetters.header(r, DeadLetter.ORIGINAL_TIMESTAMP);
        try {
            return t == null ? r.timestamp() : Long.parseLong(t.trim());
        } catch (NumberFormatException e) {
            return r.timestamp();
        }
    }

    private static Optional<String> undecodable(AvroDecoder decoder, byte[] value) {
        if (value == null) {
            return Optional.of("the value is null");
        }
        try {
            decoder.decode(value);
            return Optional.empty();
        } catch (io.backbone.serde.PoisonPillException e) {
            return Optional.of("poison pill (" + e.getMessage() + ")");
        }
    }

    private static void note(List<String> refusals, String line) {
        if (refusals.size() < 20) {
            refusals.add(line);
        }
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void commit(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> batch) {
        producer.beginTransaction();
        try {
            batch.forEach(producer::send);
            producer.commitTransaction();
        } catch (RuntimeException e) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException ignored) {
                // fenced or closed: the transaction is aborted by the broker; nothing of it is visible
            }
            throw new IllegalStateException(
                    "the redrive transaction failed and was aborted (" + e.getMessage()
                            + "); nothing of this batch is visible. Run the same redrive again: what was committed is not sent twice",
                    e);
        }
        batch.clear();
    }

    private KafkaProducer<byte[], byte[]> producer(String dlqTopic) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "backbone-redrive-" + dlqTopic);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private void ensureTopics(String dlqTopic, String parkedTopic) {
        try (Admin admin = Admin.create(clientConfig)) {
            TopicDescription dlq = admin.describeTopics(List.of(dlqTopic))
                    .allTopicNames()
                    .get()
                    .get(dlqTopic);
            List<NewTopic> wanted = List.of(
                    new NewTopic(PlatformTopics.REDRIVE, Optional.of(1), Optional.empty())
                            .configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(parkedTopic, Optional.of(dlq.partitions().size()), Optional.empty()));
            for (NewTopic t : wanted) {
                try {
                    admin.createTopics(List.of(t)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create " + t.name() + ": "
                                        + e.getCause().getMessage(),
                                e);
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalArgumentException(
                    "topic " + dlqTopic + " cannot be read (" + e.getCause().getMessage()
                            + "); name a dead-letter topic such as orders.dlq.order-events",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The dead letters of {@code dlqTopic} already redriven or parked, from the committed progress records. */
    static Set<String> redriven(Map<String, Object> clientConfig, String dlqTopic) {
        Set<String> done = new HashSet<>();
        String prefix = dlqTopic + "/";
        try {
            DeadLetters.readAll(clientConfig, PlatformTopics.REDRIVE, -1, r -> {
                String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                if (key.startsWith(prefix)) {
                    if (r.value() == null) {
                        done.remove(key);
                    } else {
                        done.add(key);
                    }
                }
            });
        } catch (IllegalArgumentException noTopicYet) {
            // no redrive has run on this cluster: nothing was redriven
        }
        return done;
    }
}
