package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.access.AccessModel;
import io.backbone.catalog.CatalogSource;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.EmbeddedKafka;
import io.backbone.platform.registry.EmbeddedSchemaRegistry;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.Planner;
import io.backbone.registry.RestSchemaRegistryClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * plan / apply on a broker with Kafka's KRaft ACL authorizer: the catalog's topics, subjects and ACLs are created,
 * a second plan is empty, what kafka-acls lists is what the catalog implies, hand-made changes show up as drift, and
 * deletions wait for --allow-delete.
 */
class AccessPlanIT {
    static EmbeddedKafka kafka;
    static EmbeddedSchemaRegistry registry;
    static ClientSettings settings;
    static final ProductCatalog catalog = ProductCatalog.shipped();
    static final AccessModel access = AccessModel.load(CatalogSource.classpath());

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(Map.of(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                // this test's clients connect without SASL, as the broker's own super user
                "super.users", "User:ANONYMOUS"));
        registry = EmbeddedSchemaRegistry.builder()
                .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers()), "_schemas")
                .start();
        settings = ClientSettings.of(kafka.bootstrapServers(), registry.url());
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    Planner.Plan plan(Admin admin, RestSchemaRegistryClient client) {
        return new Planner(admin, client, 2).plan(catalog, access, "backbone");
    }

    static Set<String> lines(Planner.Plan plan) {
        return plan.changes().stream().map(Planner.Change::line).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void applyMakesTheClusterMatchThenPlanIsEmptyDriftShowsAndDeletionsWaitForTheFlag() throws Exception {
        try (Admin admin = settings.admin();
                RestSchemaRegistryClient client = new RestSchemaRegistryClient(settings.clientConfig())) {
            Planner planner = new Planner(admin, client, 2);
            Planner.Plan first = plan(admin, client);
            assertThat(first.render())
                    .contains("+ topic orders.raw.order-events: 2 partitions, replication 1, {retention.ms=604800000}")
                    .contains("+ subject orders.product.orders.v1-value: compatibility BACKWARD")
                    .contains("+ acl User:orders-service ALLOW WRITE on TOPIC:LITERAL:orders.raw.order-events")
                    .contains("+ acl User:backbone ALLOW WRITE on TRANSACTIONAL_ID:PREFIXED:backbone-")
                    .contains("+ acl User:marketing ALLOW READ on TOPIC:LITERAL:customers.product.customers.v1")
                    .doesNotContain("User:marketing ALLOW READ on TOPIC:LITERAL:customers.raw");

            Planner.Applied applied = planner.apply(first, false);
            assertThat(applied.refused()).isEmpty();
            assertThat(plan(admin, client).render()).isEqualTo("No changes: the cluster matches the catalog.\n");

            // what Kafka's own tooling lists (kafka-acls --list) is exactly what the catalog implies
            Set<String> listed = admin.describeAcls(AclBindingFilter.ANY).values().get().stream()
                    .map(Planner::describe)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> implied = access.grants(catalog, "backbone").stream()
                    .map(g -> Planner.describe(Planner.binding(g)))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(listed).isEqualTo(implied);
            assertThat(listed).noneMatch(l -> l.startsWith("User:fulfilment") && l.contains(".raw."));

            // hand-made changes: a retention, an ACL, a topic
            ConfigResource raw = new ConfigResource(ConfigResource.Type.TOPIC, "orders.raw.order-events");
            admin.incrementalAlterConfigs(Map.of(
                            raw,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
            AclBinding byHand = new AclBinding(
                    new ResourcePattern(ResourceType.TOPIC, "payments.raw.payment-events", PatternType.LITERAL),
                    new AccessControlEntry("User:fulfilment", "*", AclOperation.READ, AclPermissionType.ALLOW));
            // and two the old plan never looked at: anyone's, and a principal removed from principals.yaml
            AclBinding anyone = new AclBinding(
                    new ResourcePattern(ResourceType.TOPIC, "customers.raw.customer-events", PatternType.LITERAL),
                    new AccessControlEntry("User:*", "*", AclOperation.READ, AclPermissionType.ALLOW));
            AclBinding removed = new AclBinding(
                    new ResourcePattern(ResourceType.GROUP, "old-reporting", PatternType.PREFIXED),
                    new AccessControlEntry("User:old-reporting", "*", AclOperation.READ, AclPermissionType.ALLOW));
            admin.createAcls(List.of(byHand, anyone, removed)).all().get();
            admin.createTopics(List.of(new NewTopic("orders.raw.legacy-events", 1, (short) 1)))
                    .all()
                    .get();

            Planner.Plan drift = plan(admin, client);
            assertThat(lines(drift))
                    .containsExactlyInAnyOrder(
                            "~ topic-config orders.raw.order-events: retention.ms 1000 → 604800000  (drift)",
                            "- acl User:fulfilment ALLOW READ on TOPIC:LITERAL:payments.raw.payment-events: not derived from the catalog  (drift)",
                            "- acl User:* ALLOW READ on TOPIC:LITERAL:customers.raw.customer-events: not derived from the catalog  (drift)",
                            "- acl User:old-reporting ALLOW READ on GROUP:PREFIXED:old-reporting: not derived from the catalog  (drift)",
                            "- topic orders.raw.legacy-events: not in the catalog (its records are deleted with it)");

            Planner.Applied careful = planner.apply(drift, false);
            assertThat(careful.done()).extracting(Planner.Change::kind).containsExactly("topic-config");
            assertThat(careful.refused())
                    .extracting(Planner.Change::kind)
                    .containsExactlyInAnyOrder("acl", "acl", "acl", "topic");
            assertThat(lines(plan(admin, client))).hasSize(4);

            planner.apply(plan(admin, client), true);
            assertThat(plan(admin, client).empty()).isTrue();
            assertThat(admin.listTopics().names().get()).doesNotContain("orders.raw.legacy-events");

            // the command says the same: exit 0 when nothing differs
            assertThat(BackboneCommand.execute(
                            "plan",
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--schema-registry-url",
                            registry.url(),
                            "--partitions",
                            "2"))
                    .isZero();
        }
    }
}
