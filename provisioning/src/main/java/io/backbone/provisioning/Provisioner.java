package io.backbone.provisioning;

import io.backbone.contract.CompiledContract;
import io.backbone.contract.ServiceLevels;
import io.backbone.product.DataProduct;
import io.backbone.product.PlatformTopics;
import io.backbone.registry.SchemaRegistryClient;
import io.backbone.serde.AvroSerdeConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates what the products need on a cluster: raw, product and DLQ topics (retention from the contracts' SLA), the
 * backbone's own catalog, status and alert topics, and the subjects of raw and product values with the compatibility mode each contract states. Idempotent.
 */
public final class Provisioner {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);

    /** What provisioning did, for the operator. */
    public record Result(List<String> createdTopics, List<String> existingTopics, Map<String, Integer> subjects) {}

    private final Admin admin;
    private final SchemaRegistryClient registry;
    private final int partitions;

    public Provisioner(Admin admin, SchemaRegistryClient registry, int partitions) {
        this.admin = admin;
        this.registry = registry;
        this.partitions = partitions;
    }

    public Result provision(List<DataProduct> products) {
        Map<String, NewTopic> topics = desiredTopics(products, replication(admin));
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        for (NewTopic t : topics.values()) {
            try {
                admin.createTopics(List.of(t)).all().get();
                created.add(t.name());
                LOG.info(
                        "Created topic {} ({} partitions, retention {} ms)",
                        t.name(),
                        t.numPartitions(),
                        t.configs().get("retention.ms"));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    existing.add(t.name());
                } else {
                    throw new IllegalStateException(
                            "cannot create topic " + t.name() + ": "
                                    + e.getCause().getMessage(),
                            e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        Map<String, Integer> subjects = new LinkedHashMap<>();
        Set<String> done = new java.util.HashSet<>();
        for (DataProduct p : products) {
            for (CompiledContract c : List.of(p.input(), p.output())) {
                String subject = AvroSerdeConfig.valueSubject(c.topic());
                if (done.add(subject)) {
                    registry.setCompatibility(subject, c.contract().custom("compatibility", "BACKWARD"));
                    if (c == p.input() && p.join() == null) {
                        // a raw stream's contract goes to every producer's Confluent serializer as a rule set
                        io.backbone.contract.export.ConfluentContract exported =
                                io.backbone.contract.export.ConfluentContract.of(c);
                        subjects.put(
                                subject,
                                registry.register(
                                        subject,
                                        c.schema(),
                                        exported.metadata().toString(),
                                        exported.ruleSet().toString()));
                    } else {
                        subjects.put(subject, registry.register(subject, c.schema()));
                    }
                }
            }
        }
        return new Result(created, existing, subjects);
    }

    /** Every topic the products need, with partitions, replication and configs (retention from the contracts' SLA). */
    public Map<String, NewTopic> desiredTopics(List<DataProduct> products, short replication) {
        Map<String, NewTopic> topics = new LinkedHashMap<>();
        for (DataProduct p : products) {
            if (p.rawTopic() != null) {
                topics.putIfAbsent(p.rawTopic(), topic(p.rawTopic(), p.input(), replication));
            }
            NewTopic product = topic(p.productTopic(), p.output(), replication);
            if (p.isEntity()) {
                // the latest state per key: compacted, never deleted by age; superseded states stay for the dedup
                // window, so that a task rebuilding its seen change ids from the topic finds all of them
                Map<String, String> configs = new HashMap<>(product.configs());
                configs.remove("retention.ms");
                configs.put("cleanup.policy", "compact");
                configs.put(
                        "min.compaction.lag.ms", String.valueOf(p.dedupWindow().toMillis()));
                product.configs(configs);
            }
            topics.putIfAbsent(p.productTopic(), product);
            topics.putIfAbsent(p.dlqTopic(), topic(p.dlqTopic(), p.input(), replication));
        }
        // the backbone's own topics: the catalog (compacted, one partition keeps its order), status and alerts
        topics.put(
                PlatformTopics.CATALOG,
                new NewTopic(PlatformTopics.CATALOG, 1, replication)
                        .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0")));
        topics.put(
                PlatformTopics.STATUS,
                new NewTopic(PlatformTopics.STATUS, partitions, replication)
                        .configs(Map.of(
                                "retention.ms",
                                String.valueOf(java.time.Duration.ofDays(7).toMillis()))));
        topics.put(
                PlatformTopics.ALERTS,
                new NewTopic(PlatformTopics.ALERTS, 1, replication)
                        .configs(Map.of(
                                "retention.ms",
                                String.valueOf(java.time.Duration.ofDays(30).toMillis()))));
        return topics;
    }

    /** How many brokers answer: the replication factor new topics get is at most this (and at most 3). */
    public static short replication(Admin admin) {
        try {
            return (short) Math.min(3, admin.describeCluster().nodes().get().size());
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot reach the Kafka cluster: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private NewTopic topic(String name, CompiledContract contract, short replication) {
        Map<String, String> configs = new HashMap<>();
        java.time.Duration retention = ServiceLevels.retention(contract.contract());
        if (retention != null) {
            configs.put("retention.ms", String.valueOf(retention.toMillis()));
        }
        if (replication > 1) {
            configs.put("min.insync.replicas", String.valueOf(replication - 1));
        }
        return new NewTopic(name, partitions, replication).configs(configs);
    }
}
