package io.backbone.topology.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.contract.Lifecycle;
import io.backbone.kafka.TopicScan;
import io.backbone.product.DataProduct;
import io.backbone.product.PlatformTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the consumer groups that still read a deprecated product version: one alert on {@code _backbone.alerts} per
 * group when the version is deprecated ({@code DEPRECATED}), and one more in the last {@link #SUNSET_NEAR} days before
 * its sunset ({@code SUNSET_NEAR}). A group "reads" a version when it has committed offsets on its topic. What was
 * already sent is read back from the alerts topic, so a restart does not repeat it.
 */
public final class DeprecationNotices {
    private static final Logger LOG = LoggerFactory.getLogger(DeprecationNotices.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration SUNSET_NEAR = Duration.ofDays(7);
    public static final String PROMISE = "deprecation";

    private final Admin admin;
    private final Producer<byte[], byte[]> producer;
    private final Map<String, Object> clientConfig;
    private final String instance;
    private Set<String> sent;

    public DeprecationNotices(
            Admin admin, Producer<byte[], byte[]> producer, Map<String, Object> clientConfig, String instance) {
        this.admin = admin;
        this.producer = producer;
        this.clientConfig = clientConfig;
        this.instance = instance;
    }

    /** Sends what is due at {@code now} for the deprecated versions among {@code products}; returns the alerts sent. */
    public List<ObjectNode> send(List<DataProduct> products, Instant now) throws Exception {
        List<DataProduct> deprecated = products.stream()
                .filter(p -> p.output().contract().lifecycle().deprecated())
                .toList();
        List<ObjectNode> out = new ArrayList<>();
        if (deprecated.isEmpty()) {
            return out;
        }
        if (sent == null) {
            sent = alreadySent();
        }
        Map<String, Set<String>> groupsByTopic = groupsByTopic();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (DataProduct p : deprecated) {
            Lifecycle l = p.output().contract().lifecycle();
            String phase = l.sunset() != null && !today.isBefore(l.sunset().minusDays(SUNSET_NEAR.toDays()))
                    ? "SUNSET_NEAR"
                    : "DEPRECATED";
            for (String group : groupsByTopic.getOrDefault(p.productTopic(), Set.of())) {
                String key = p.id() + "/" + group + "/" + phase;
                if (!sent.add(key)) {
                    continue;
                }
                ObjectNode alert = JSON.createObjectNode()
                        .put("product", p.id())
                        .put("promise", PROMISE)
                        .put("state", phase)
                        .put("group", group)
                        .put("topic", p.productTopic())
                        .put("deprecatedOn", String.valueOf(l.deprecatedOn()))
                        .put("sunset", String.valueOf(l.sunset()))
                        .put("successor", l.successor())
                        .put("instance", instance)
                        .put("at", now.toString())
                        .put(
                                "message",
                                "consumer group " + group + " still reads " + p.productTopic() + ", deprecated since "
                                        + l.deprecatedOn()
                                        + ("SUNSET_NEAR".equals(phase) ? "; its sunset is near: " : "; ")
                                        + "it is no longer published after " + l.sunset() + ": move to "
                                        + l.successor());
                producer.send(new ProducerRecord<>(
                                PlatformTopics.ALERTS,
                                key.getBytes(StandardCharsets.UTF_8),
                                JSON.writeValueAsBytes(alert)))
                        .get(30, TimeUnit.SECONDS);
                LOG.atWarn()
                        .addKeyValue("product", p.id())
                        .addKeyValue("promise", PROMISE)
                        .log("{}", alert.get("message").asText());
                out.add(alert);
            }
        }
        return out;
    }

    /** The groups with committed offsets, by topic. */
    private Map<String, Set<String>> groupsByTopic() throws Exception {
        Map<String, Set<String>> out = new java.util.HashMap<>();
        for (ConsumerGroupListing g : admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(g.groupId())
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
                if (e.getValue() != null) {
                    out.computeIfAbsent(e.getKey().topic(), t -> new TreeSet<>())
                            .add(g.groupId());
                }
            }
        }
        return out;
    }

    /** The keys of the deprecation alerts already on the alerts topic (none when it cannot be read yet). */
    private Set<String> alreadySent() {
        Set<String> keys = new HashSet<>();
        try {
            TopicScan.scan(clientConfig, PlatformTopics.ALERTS, -1, Duration.ofMinutes(2), r -> {
                if (r.key() == null || r.value() == null) {
                    return;
                }
                try {
                    JsonNode v = JSON.readTree(r.value());
                    if (PROMISE.equals(v.path("promise").asText())) {
                        keys.add(new String(r.key(), StandardCharsets.UTF_8));
                    }
                } catch (java.io.IOException notJson) {
                    // not ours: the catalog counts such records, here they simply say nothing was sent
                }
            });
        } catch (IllegalArgumentException noTopicYet) {
            LOG.info("{} does not exist yet: no deprecation notice has been sent", PlatformTopics.ALERTS);
        }
        return keys;
    }
}
