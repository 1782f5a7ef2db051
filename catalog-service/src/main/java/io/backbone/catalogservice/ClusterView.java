package io.backbone.catalogservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.registry.SchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the catalog asks the cluster on demand, cached for a few seconds: the consumer groups that read each topic
 * with their lag, and a sample record of a product topic decoded through the schema registry with every PII
 * property the contract marks withheld unless its masking already replaced the value.
 */
final class ClusterView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long GROUPS_TTL_MS = 3_000;
    private static final long SAMPLE_TTL_MS = 15_000;

    private final Admin admin;
    private final Map<String, Object> consumerConfig;
    private final SchemaRegistryClient registry;
    private volatile Map<String, List<ObjectNode>> groupsByTopic = Map.of();
    private volatile long groupsAt;
    private volatile String groupsProblem;
    private final Map<String, CachedSample> samples = new ConcurrentHashMap<>();

    private record CachedSample(JsonNode sample, long at) {}

    ClusterView(Map<String, Object> clientSettings) {
        Map<String, Object> adminConfig = new HashMap<>();
        Map<String, Object> consumer = new HashMap<>();
        clientSettings.forEach((k, v) -> {
            if (v == null) {
                return;
            }
            if (AdminClientConfig.configNames().contains(k)) {
                adminConfig.put(k, v);
            }
            if (ConsumerConfig.configNames().contains(k)) {
                consumer.put(k, v);
            }
        });
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "backbone-catalog-sample");
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.admin = Admin.create(adminConfig);
        this.consumerConfig = consumer;
        this.registry =
                clientSettings.get("schema.registry.url") == null ? null : new RestSchemaRegistryClient(clientSettings);
    }

    /** The consumer groups that committed offsets on {@code topic}, with their lag (end offset minus committed). */
    List<ObjectNode> consumers(String topic) {
        refreshGroups();
        return groupsByTopic.getOrDefault(topic, List.of());
    }

    String groupsProblem() {
        return groupsProblem;
    }

    private synchronized void refreshGroups() {
        if (System.currentTimeMillis() - groupsAt < GROUPS_TTL_MS) {
            return;
        }
        try {
            Collection<ConsumerGroupListing> listings =
                    admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS);
            Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
            for (ConsumerGroupListing l : listings) {
                specs.put(l.groupId(), new ListConsumerGroupOffsetsSpec());
            }
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = specs.isEmpty()
                    ? Map.of()
                    : admin.listConsumerGroupOffsets(specs).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
            committed.values().forEach(m -> m.keySet().forEach(tp -> wanted.put(tp, OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = wanted.isEmpty()
                    ? Map.of()
                    : admin.listOffsets(wanted).all().get(10, TimeUnit.SECONDS);
            Map<String, List<ObjectNode>> byTopic = new TreeMap<>();
            for (Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> g : committed.entrySet()) {
                Map<String, long[]> perTopic = new TreeMap<>(); // topic → {committed, end, partitions}
                for (Map.Entry<TopicPartition, OffsetAndMetadata> e :
                        g.getValue().entrySet()) {
                    if (e.getValue() == null) {
                        continue;
                    }
                    long end = ends.containsKey(e.getKey())
                            ? ends.get(e.getKey()).offset()
                            : e.getValue().offset();
                    long[] t = perTopic.computeIfAbsent(e.getKey().topic(), k -> new long[3]);
                    t[0] += e.getValue().offset();
                    t[1] += Math.max(0, end - e.getValue().offset());
                    t[2]++;
                }
                perTopic.forEach((topic, t) -> byTopic.computeIfAbsent(topic, k -> new ArrayList<>())
                        .add(JSON.createObjectNode()
                                .put("group", g.getKey())
                                .put("topic", topic)
                                .put("partitions", t[2])
                                .put("committed", t[0])
                                .put("lag", t[1])));
            }
            groupsByTopic = byTopic;
            groupsProblem = null;
        } catch (Exception e) {
            groupsProblem = "consumer groups unavailable: " + rootMessage(e);
            LOG.warn("{}", groupsProblem);
        } finally {
            groupsAt = System.currentTimeMillis();
        }
    }

    /**
     * The newest record of {@code topic}, decoded, with the PII properties of {@code piiMasking} (path → masking)
     * withheld unless their masking is hash, redact or drop. Null when the topic is empty or cannot be read.
     */
    JsonNode sample(String topic, Map<String, String> piiMasking) {
        CachedSample cached = samples.get(topic);
        if (cached != null && System.currentTimeMillis() - cached.at() < SAMPLE_TTL_MS) {
            return cached.sample();
        }
        JsonNode sample = readSample(topic, piiMasking);
        samples.put(topic, new CachedSample(sample, System.currentTimeMillis()));
        return sample;
    }

    private JsonNode readSample(String topic, Map<String, String> piiMasking) {
        if (registry == null) {
            return JSON.createObjectNode().put("unavailable", "no schema registry given (--schema-registry-url)");
        }
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(5));
            for (PartitionInfo i : infos) {
                partitions.add(new TopicPartition(topic, i.partition()));
            }
            c.assign(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(5));
            boolean any = false;
            for (TopicPartition tp : partitions) {
                if (end.get(tp) > 0) {
                    // the last offsets of a transactional topic are commit markers, not records: look a little back
                    c.seek(tp, Math.max(0, end.get(tp) - 20));
                    any = true;
                } else {
                    c.pause(List.of(tp));
                }
            }
            if (!any) {
                return null;
            }
            ConsumerRecord<byte[], byte[]> newest = null;
            long deadline = System.currentTimeMillis() + 3000;
            while (System.currentTimeMillis() < deadline
                    && partitions.stream().anyMatch(tp -> !c.paused().contains(tp) && c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(300))) {
                    if (newest == null || r.timestamp() >= newest.timestamp()) {
                        newest = r;
                    }
                }
            }
            if (newest == null || newest.value() == null) {
                return null;
            }
            Object decoded = AvroDecoder.generic(registry).decode(newest.value());
            if (!(decoded instanceof GenericRecord record)) {
                return null;
            }
            ObjectNode value = (ObjectNode) JSON.readTree(GenericData.get().toString(record));
            withhold(value, piiMasking);
            ObjectNode out = JSON.createObjectNode()
                    .put("topic", newest.topic())
                    .put("partition", newest.partition())
                    .put("offset", newest.offset())
                    .put(
                            "timestamp",
                            java.time.Instant.ofEpochMilli(newest.timestamp()).toString());
            out.set("value", value);
            return out;
        } catch (Exception e) {
            return JSON.createObjectNode()
                    .put("unavailable", "cannot read a sample of " + topic + ": " + rootMessage(e));
        }
    }

    /** Replaces every PII value that its masking did not already replace. */
    static void withhold(ObjectNode value, Map<String, String> piiMasking) {
        Set<String> masked = Set.of("hash", "redact", "drop");
        piiMasking.forEach((path, masking) -> {
            if (!masked.contains(String.valueOf(masking))) {
                withhold(value, path.split("\\."), 0);
            }
        });
    }

    private static void withhold(JsonNode node, String[] path, int i) {
        String part = path[i].replace("[]", "");
        boolean array = path[i].endsWith("[]");
        if (!(node instanceof ObjectNode object) || !object.has(part)) {
            return;
        }
        if (i == path.length - 1) {
            if (!object.get(part).isNull()) {
                object.put(part, "‹withheld: PII›");
            }
            return;
        }
        JsonNode child = object.get(part);
        if (array && child instanceof ArrayNode items) {
            items.forEach(item -> withhold(item, path, i + 1));
        } else {
            withhold(child, path, i + 1);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        if (registry != null) {
            registry.close();
        }
    }
}
