package io.backbone.provisioning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.access.AccessModel;
import io.backbone.contract.CompiledContract;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.product.TopicNames;
import io.backbone.registry.SchemaNotFoundException;
import io.backbone.registry.SchemaRegistryClient;
import io.backbone.serde.AvroSerdeConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Compares what the catalog wants with what the cluster and the registry hold — topics (partitions, replication,
 * configs), subjects (schema, compatibility mode) and ACLs — and makes them match. Terraform-style: {@code +}
 * create, {@code ~} change, {@code -} delete. Only what the catalog manages is touched: topics named like the
 * backbone's ({@code <domain>.raw|product|dlq.<name>…}, {@code _backbone.*}) and the ACLs of declared principals.
 * A difference on something that exists is drift (it was changed by hand, or the catalog changed). Deletions are
 * applied only when allowed.
 */
public final class Planner {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One difference: {@code +}, {@code ~} or {@code -}, on a topic, topic config, subject or ACL. */
    public record Change(char action, String kind, String name, String detail, boolean drift, Runnable apply) {
        public String line() {
            return action + " " + kind + " " + name + (detail.isEmpty() ? "" : ": " + detail)
                    + (drift ? "  (drift)" : "");
        }

        public boolean delete() {
            return action == '-';
        }
    }

    /** Every difference, in order: topics, then subjects, then ACLs. */
    public record Plan(List<Change> changes, String note) {
        public boolean empty() {
            return changes.isEmpty();
        }

        public String render() {
            StringBuilder b = new StringBuilder();
            for (Change c : changes) {
                b.append(c.line()).append('\n');
            }
            long adds = changes.stream().filter(c -> c.action() == '+').count();
            long edits = changes.stream().filter(c -> c.action() == '~').count();
            long deletes = changes.stream().filter(Change::delete).count();
            b.append(
                    empty()
                            ? "No changes: the cluster matches the catalog."
                            : "Plan: " + adds + " to add, " + edits + " to change, " + deletes + " to delete.");
            if (note != null) {
                b.append("\n").append(note);
            }
            return b.append('\n').toString();
        }

        public ObjectNode json() {
            ObjectNode o = JSON.createObjectNode().put("empty", empty());
            ArrayNode list = o.putArray("changes");
            for (Change c : changes) {
                list.addObject()
                        .put(
                                "action",
                                switch (c.action()) {
                                    case '+' -> "create";
                                    case '~' -> "change";
                                    default -> "delete";
                                })
                        .put("kind", c.kind())
                        .put("name", c.name())
                        .put("detail", c.detail())
                        .put("drift", c.drift());
            }
            if (note != null) {
                o.put("note", note);
            }
            return o;
        }
    }

    /** What apply did: changes made, deletions refused. */
    public record Applied(List<Change> done, List<Change> refused) {}

    private final Admin admin;
    private final SchemaRegistryClient registry;
    private final int partitions;

    public Planner(Admin admin, SchemaRegistryClient registry, int partitions) {
        this.admin = admin;
        this.registry = registry;
        this.partitions = partitions;
    }

    /** The plan for {@code catalog} (and its principals, null: ACLs not managed), the backbone's application id. */
    public Plan plan(ProductCatalog catalog, AccessModel access, String backboneAppId) {
        List<Change> changes = new ArrayList<>();
        try {
            topics(catalog, changes);
            subjects(catalog, changes);
            String note = null;
            if (access == null) {
                note = "ACLs are not managed: the catalog has no " + AccessModel.FILE + ".";
            } else {
                note = acls(catalog, access, backboneAppId, changes);
            }
            for (io.backbone.product.DataProduct r : catalog.retired()) {
                String line = "retired: " + r.productTopic() + " (" + r.output().id() + ", sunset "
                        + r.output().contract().lifecycle().sunset() + ") is no longer published; its topic and"
                        + " ACLs are kept until `backbone retire " + r.productTopic() + " --yes` deletes them, which it"
                        + " refuses while a consumer group still reads the topic";
                note = note == null ? line : note + "\n" + line;
            }
            return new Plan(changes, note);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot read the cluster: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the cluster did not answer within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Makes the changes, deletions only when {@code allowDelete}. */
    public Applied apply(Plan plan, boolean allowDelete) {
        List<Change> done = new ArrayList<>();
        List<Change> refused = new ArrayList<>();
        for (Change c : plan.changes()) {
            if (c.delete() && !allowDelete) {
                refused.add(c);
                continue;
            }
            c.apply().run();
            done.add(c);
        }
        return new Applied(done, refused);
    }

    // ---- topics -------------------------------------------------------------------------------------------------

    private void topics(ProductCatalog catalog, List<Change> changes)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        short replication = Provisioner.replication(admin);
        Map<String, NewTopic> desired =
                new Provisioner(admin, registry, partitions).desiredTopics(catalog.products(), replication);
        Set<String> existing = new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
        for (NewTopic t : desired.values()) {
            if (!existing.contains(t.name())) {
                changes.add(new Change(
                        '+',
                        "topic",
                        t.name(),
                        t.numPartitions() + " partitions, replication " + t.replicationFactor()
                                + (t.configs().isEmpty() ? "" : ", " + new TreeMap<>(t.configs())),
                        false,
                        () -> call(() -> admin.createTopics(List.of(t)).all().get(), "create topic " + t.name())));
            }
        }
        List<String> present =
                desired.keySet().stream().filter(existing::contains).toList();
        if (!present.isEmpty()) {
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(present).allTopicNames().get(30, TimeUnit.SECONDS);
            List<ConfigResource> resources = present.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                    .toList();
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            for (String name : present) {
                NewTopic want = desired.get(name);
                int have = descriptions.get(name).partitions().size();
                if (have < want.numPartitions()) {
                    changes.add(new Change(
                            '~',
                            "topic",
                            name,
                            "partitions " + have + " → " + want.numPartitions(),
                            true,
                            () -> call(
                                    () -> admin.createPartitions(
                                                    Map.of(name, NewPartitions.increaseTo(want.numPartitions())))
                                            .all()
                                            .get(),
                                    "add partitions to " + name)));
                }
                Map<String, String> dynamic = new TreeMap<>();
                for (ConfigEntry e : configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
                        .entries()) {
                    if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                        dynamic.put(e.name(), e.value());
                    }
                }
                Map<String, String> wanted = new TreeMap<>(want.configs());
                List<AlterConfigOp> ops = new ArrayList<>();
                List<String> what = new ArrayList<>();
                for (Map.Entry<String, String> w : wanted.entrySet()) {
                    String v = dynamic.get(w.getKey());
                    if (!w.getValue().equals(v)) {
                        ops.add(new AlterConfigOp(new ConfigEntry(w.getKey(), w.getValue()), AlterConfigOp.OpType.SET));
                        what.add(w.getKey() + " " + (v == null ? "(default)" : v) + " → " + w.getValue());
                    }
                }
                for (Map.Entry<String, String> d : dynamic.entrySet()) {
                    if (!wanted.containsKey(d.getKey())) {
                        ops.add(new AlterConfigOp(new ConfigEntry(d.getKey(), ""), AlterConfigOp.OpType.DELETE));
                        what.add(d.getKey() + " " + d.getValue() + " → (default)");
                    }
                }
                if (!ops.isEmpty()) {
                    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, name);
                    changes.add(new Change(
                            '~',
                            "topic-config",
                            name,
                            String.join(", ", what),
                            true,
                            () -> call(
                                    () -> admin.incrementalAlterConfigs(Map.of(r, ops))
                                            .all()
                                            .get(),
                                    "alter the configs of " + name)));
                }
            }
        }
        for (String name : existing) {
            boolean managed = name.startsWith("_backbone.")
                    || TopicNames.PATTERN.matcher(name).matches();
            if (managed && !desired.containsKey(name)) {
                changes.add(new Change(
                        '-',
                        "topic",
                        name,
                        "not in the catalog (its records are deleted with it)",
                        false,
                        () -> call(() -> admin.deleteTopics(List.of(name)).all().get(), "delete topic " + name)));
            }
        }
    }

    // ---- subjects -----------------------------------------------------------------------------------------------

    private void subjects(ProductCatalog catalog, List<Change> changes) {
        Map<String, CompiledContract> bySubject = new LinkedHashMap<>();
        java.util.Set<String> raw = new java.util.HashSet<>();
        for (DataProduct p : catalog.products()) {
            for (CompiledContract c : List.of(p.input(), p.output())) {
                bySubject.putIfAbsent(AvroSerdeConfig.valueSubject(c.topic()), c);
            }
            if (p.join() == null) {
                raw.add(AvroSerdeConfig.valueSubject(p.input().topic()));
            }
        }
        for (Map.Entry<String, CompiledContract> e : bySubject.entrySet()) {
            String subject = e.getKey();
            CompiledContract c = e.getValue();
            String mode = c.contract().custom("compatibility", "BACKWARD");
            Schema schema = c.schema();
            // a raw stream's contract is published with its schema, as a Confluent rule set for producers' serializers
            io.backbone.contract.export.ConfluentContract exported =
                    raw.contains(subject) ? io.backbone.contract.export.ConfluentContract.of(c) : null;
            Runnable register = exported == null
                    ? () -> registry.register(subject, schema)
                    : () -> registry.register(
                            subject,
                            schema,
                            exported.metadata().toString(),
                            exported.ruleSet().toString());
            boolean registered;
            try {
                registry.latest(subject);
                registered = true;
            } catch (SchemaNotFoundException notThere) {
                registered = false;
            }
            if (!registered) {
                changes.add(new Change(
                        '+',
                        "subject",
                        subject,
                        "compatibility " + mode + ", schema " + schema.getFullName(),
                        false,
                        () -> {
                            registry.setCompatibility(subject, mode);
                            register.run();
                        }));
                continue;
            }
            String have = registry.compatibility(subject);
            if (!mode.equals(have)) {
                changes.add(new Change(
                        '~',
                        "subject",
                        subject,
                        "compatibility " + have + " → " + mode,
                        true,
                        () -> registry.setCompatibility(subject, mode)));
            }
            boolean known;
            try {
                registry.idOf(subject, schema);
                known = true;
            } catch (SchemaNotFoundException notYet) {
                known = false;
            }
            if (!known) {
                changes.add(new Change(
                        '~',
                        "subject",
                        subject,
                        "register a new version of " + schema.getFullName()
                                + (registry.isCompatible(subject, schema)
                                        ? ""
                                        : " (INCOMPATIBLE under " + have + ": the registry will refuse it)"),
                        false,
                        register));
                continue;
            }
            if (exported != null && !sameJson(registry.latestRuleSet(subject), exported.ruleSet())) {
                changes.add(new Change(
                        '~',
                        "subject",
                        subject,
                        "rule set: " + exported.ruleSet().path("domainRules").size() + " rule(s) of " + c.id() + " "
                                + c.version() + " for producers' serializers",
                        false,
                        register));
            }
        }
    }

    private static boolean sameJson(String have, com.fasterxml.jackson.databind.JsonNode want) {
        if (have == null) {
            return false;
        }
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(have)
                    .equals(want);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
    }

    // ---- ACLs ---------------------------------------------------------------------------------------------------

    /** Null, or why ACLs could not be compared. */
    private String acls(ProductCatalog catalog, AccessModel access, String appId, List<Change> changes)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        Map<String, AclBinding> desired = new LinkedHashMap<>();
        for (AccessModel.Grant g : access.grants(catalog, appId)) {
            AclBinding b = binding(g);
            desired.put(describe(b), b);
        }
        Collection<AclBinding> actual;
        try {
            actual = admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SecurityDisabledException) {
                return "ACLs are not compared: the cluster has no authorizer (authorizer.class.name); " + desired.size()
                        + " ACL(s) would be created on a secured cluster.";
            }
            throw new IllegalStateException("cannot list ACLs: " + e.getCause().getMessage(), e.getCause());
        }
        // every ACL on the cluster, whoever it names (User:*, a principal no longer declared): what the catalog does
        // not imply is drift
        Map<String, AclBinding> have = new HashMap<>();
        for (AclBinding b : actual) {
            have.put(describe(b), b);
        }
        for (Map.Entry<String, AclBinding> d : desired.entrySet()) {
            if (!have.containsKey(d.getKey())) {
                AclBinding b = d.getValue();
                changes.add(new Change(
                        '+',
                        "acl",
                        d.getKey(),
                        "",
                        false,
                        () -> call(() -> admin.createAcls(List.of(b)).all().get(), "create ACL " + d.getKey())));
            }
        }
        for (Map.Entry<String, AclBinding> h : new TreeMap<>(have).entrySet()) {
            if (!desired.containsKey(h.getKey())) {
                AclBinding b = h.getValue();
                changes.add(new Change(
                        '-',
                        "acl",
                        h.getKey(),
                        "not derived from the catalog",
                        true,
                        () -> call(
                                () -> admin.deleteAcls(List.of(b.toFilter()))
                                        .all()
                                        .get(),
                                "delete ACL " + h.getKey())));
            }
        }
        return null;
    }

    /** The Kafka ACL of a grant. */
    public static AclBinding binding(AccessModel.Grant g) {
        return new AclBinding(
                new ResourcePattern(
                        ResourceType.fromString(g.resourceType()),
                        g.resource(),
                        PatternType.fromString(g.patternType())),
                new AccessControlEntry(
                        g.principal(), "*", AclOperation.fromString(g.operation()), AclPermissionType.ALLOW));
    }

    /** An ACL as kafka-acls.sh lists it, on one line. */
    public static String describe(AclBinding b) {
        return b.entry().principal() + " " + b.entry().permissionType() + " "
                + b.entry().operation() + " on "
                + b.pattern().resourceType() + ":" + b.pattern().patternType() + ":"
                + b.pattern().name()
                + (b.entry().host().equals("*") ? "" : " from " + b.entry().host());
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void call(Action action, String what) {
        try {
            action.run();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
