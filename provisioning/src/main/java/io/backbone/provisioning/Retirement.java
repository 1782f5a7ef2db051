package io.backbone.provisioning;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Removing a retired major's topic and ACLs, once nobody reads it: refused while a consumer group is connected to the
 * topic or has read from it within the policy's quiet period. When a group last read is the timestamp of the last
 * record it committed past (the record at its committed offset − 1), since Kafka keeps no time for a commit; a group
 * whose committed offset lies before the log start read records older than the topic's retention.
 */
public final class Retirement {
    private static final long TIMEOUT_S = 30;

    /** A consumer group with offsets on the topic: its members connected to it now, and when it last read. */
    public record Reader(String group, int connected, Instant lastRead) {
        /** Whether this group stops the retirement: connected now, or read within {@code quiet} before {@code now}. */
        public boolean blocks(Instant now, Duration quiet) {
            return connected > 0 || lastRead != null && lastRead.isAfter(now.minus(quiet));
        }

        public String describe() {
            return group + " (" + (connected > 0 ? connected + " member(s) connected, " : "")
                    + (lastRead == null ? "read nothing still retained" : "last read a record of " + lastRead) + ")";
        }
    }

    /** What retiring {@code topic} would remove, and who stops it. */
    public record Verdict(
            String topic, List<Reader> readers, List<Reader> blocking, List<AclBinding> acls, boolean exists) {
        public boolean allowed() {
            return blocking.isEmpty();
        }
    }

    private final Admin admin;
    private final Map<String, Object> clientConfig;

    public Retirement(Admin admin, Map<String, Object> clientConfig) {
        this.admin = admin;
        this.clientConfig = clientConfig;
    }

    /** The verdict on removing {@code topic} at {@code now} under a quiet period of {@code quiet}. */
    public Verdict check(String topic, Instant now, Duration quiet) {
        try {
            boolean exists =
                    admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS).contains(topic);
            List<Reader> readers = exists ? readers(topic) : List.of();
            List<Reader> blocking =
                    readers.stream().filter(r -> r.blocks(now, quiet)).toList();
            return new Verdict(topic, readers, blocking, acls(topic), exists);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot read the cluster: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster did not answer within " + TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Deletes the topic and its ACLs of an allowed {@code verdict}; returns what was deleted. */
    public List<String> remove(Verdict verdict) {
        if (!verdict.allowed()) {
            throw new IllegalStateException("retiring " + verdict.topic() + " is refused: read by "
                    + verdict.blocking().stream().map(Reader::describe).toList());
        }
        List<String> done = new ArrayList<>();
        try {
            if (!verdict.acls().isEmpty()) {
                admin.deleteAcls(List.of(filter(verdict.topic()))).all().get(TIMEOUT_S, TimeUnit.SECONDS);
                verdict.acls().forEach(a -> done.add("- acl " + a));
            }
            if (verdict.exists()) {
                admin.deleteTopics(List.of(verdict.topic())).all().get(TIMEOUT_S, TimeUnit.SECONDS);
                done.add("- topic " + verdict.topic());
            }
            return done;
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "deleting " + verdict.topic() + " failed after " + done + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster did not answer within " + TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static AclBindingFilter filter(String topic) {
        return new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, topic, PatternType.LITERAL),
                AccessControlEntryFilter.ANY);
    }

    /** The ACLs naming {@code topic} literally; none on a cluster without an authorizer. */
    private List<AclBinding> acls(String topic) throws InterruptedException, TimeoutException, ExecutionException {
        try {
            return List.copyOf(admin.describeAcls(filter(topic)).values().get(TIMEOUT_S, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SecurityDisabledException) {
                return List.of();
            }
            throw e;
        }
    }

    private List<Reader> readers(String topic) throws InterruptedException, TimeoutException, ExecutionException {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
        Collection<ConsumerGroupListing> groups =
                admin.listConsumerGroups().all().get(TIMEOUT_S, TimeUnit.SECONDS);
        for (ConsumerGroupListing g : groups) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets(g.groupId())
                    .partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_S, TimeUnit.SECONDS)
                    .forEach((tp, o) -> {
                        if (tp.topic().equals(topic) && o != null) {
                            offsets.put(tp, o);
                        }
                    });
            if (!offsets.isEmpty()) {
                committed.put(g.groupId(), offsets);
            }
        }
        Map<String, Integer> connected = new HashMap<>();
        if (!groups.isEmpty()) {
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(
                            groups.stream().map(ConsumerGroupListing::groupId).toList())
                    .all()
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
            described.forEach((id, d) -> {
                int n = 0;
                for (MemberDescription m : d.members()) {
                    if (m.assignment().topicPartitions().stream()
                            .anyMatch(tp -> tp.topic().equals(topic))) {
                        n++;
                    }
                }
                if (n > 0) {
                    connected.put(id, n);
                }
            });
        }
        List<Reader> readers = new ArrayList<>();
        java.util.Set<String> ids = new java.util.TreeSet<>(committed.keySet());
        ids.addAll(connected.keySet());
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            for (String id : ids) {
                readers.add(new Reader(
                        id, connected.getOrDefault(id, 0), lastRead(consumer, committed.getOrDefault(id, Map.of()))));
            }
        }
        return readers;
    }

    /**
     * The latest timestamp among the last records before the committed offsets (null: none still retained). The
     * records are read from a few offsets back, because the offset before a commit may be a transaction marker.
     */
    private static Instant lastRead(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> at) {
        if (at.isEmpty()) {
            return null;
        }
        Instant latest = null;
        Map<TopicPartition, Long> start = consumer.beginningOffsets(at.keySet(), Duration.ofSeconds(TIMEOUT_S));
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : at.entrySet()) {
            TopicPartition tp = e.getKey();
            long committed = e.getValue().offset();
            long from = Math.max(start.getOrDefault(tp, 0L), committed - 16);
            if (from >= committed) {
                continue;
            }
            consumer.assign(List.of(tp));
            consumer.seek(tp, from);
            ConsumerRecord<byte[], byte[]> last = null;
            long until = System.nanoTime() + Duration.ofSeconds(TIMEOUT_S).toNanos();
            while (consumer.position(tp) < committed && System.nanoTime() < until) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < committed && (last == null || r.offset() > last.offset())) {
                        last = r;
                    }
                }
            }
            if (last != null) {
                Instant t = Instant.ofEpochMilli(last.timestamp());
                latest = latest == null || t.isAfter(latest) ? t : latest;
            }
        }
        return latest;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config);
    }
}
