package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbone.access.AccessModel;
import io.backbone.catalog.CatalogFixtures;
import io.backbone.catalog.CatalogSource;
import io.backbone.demo.Reconciler;
import io.backbone.demo.StreamReport;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.EmbeddedKafka;
import io.backbone.platform.registry.EmbeddedSchemaRegistry;
import io.backbone.producer.simulation.Ledger;
import io.backbone.producer.simulation.ShopSimulator;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.Planner;
import io.backbone.registry.RegistryMisconfiguredException;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.registry.SchemaRegistryException;
import io.backbone.topology.BackboneApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a broker that authenticates with SASL/SCRAM and authorizes with the KRaft StandardAuthorizer (nothing is allowed
 * without an ACL), every principal of the catalog gets exactly what apply grants it: producers write their own raw
 * stream only, consumers read the products granted to them only, nobody outside a domain reads its raw topics or
 * dead letters, and the backbone runs exactly-once on its generated ACLs alone, every event accounted for.
 */
class SecuredAccessIT {
    static final String APP_ID = "secured-it";
    static EmbeddedKafka kafka;
    static EmbeddedSchemaRegistry registry;
    static final Map<String, String> passwords = new LinkedHashMap<>();
    static final String ADMIN_PASSWORD = "admin-" + System.nanoTime();

    @BeforeAll
    static void start() {
        AccessModel access = AccessModel.load(CatalogSource.classpath());
        access.principals().keySet().forEach(p -> passwords.put(p, p + "-" + System.nanoTime()));
        kafka = EmbeddedKafka.startSecured(ADMIN_PASSWORD, passwords);
        registry = EmbeddedSchemaRegistry.builder()
                .kafka(new HashMap<>(sasl("admin", ADMIN_PASSWORD)), "_schemas")
                .basicAuthForWrites("admin:" + ADMIN_PASSWORD)
                .start();
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

    static Map<String, Object> sasl(String user, String password) {
        Map<String, Object> c = new HashMap<>(EmbeddedKafka.login("SCRAM-SHA-256", user, password));
        c.put("bootstrap.servers", kafka.bootstrapServers());
        return c;
    }

    /** The client settings of {@code principal}: its SCRAM login; producers do not register schemas. */
    static ClientSettings as(String principal) {
        Map<String, String> extra = new HashMap<>();
        sasl(principal, principal.equals("admin") ? ADMIN_PASSWORD : passwords.get(principal))
                .forEach((k, v) -> extra.put(k, String.valueOf(v)));
        extra.remove("bootstrap.servers");
        if (principal.equals("admin")) {
            extra.put("basic.auth.credentials.source", "USER_INFO");
            extra.put("basic.auth.user.info", "admin:" + ADMIN_PASSWORD);
        } else {
            extra.put("auto.register.schemas", "false");
        }
        return new ClientSettings(kafka.bootstrapServers(), registry.url(), extra);
    }

    static void apply(ProductCatalog catalog, AccessModel access) {
        ClientSettings admin = as("admin");
        try (Admin client = admin.admin();
                RestSchemaRegistryClient schemas = new RestSchemaRegistryClient(admin.clientConfig())) {
            Planner planner = new Planner(client, schemas, 2);
            Planner.Applied applied = planner.apply(planner.plan(catalog, access, APP_ID), true);
            assertThat(applied.refused()).isEmpty();
            assertThat(planner.plan(catalog, access, APP_ID).empty()).isTrue();
        }
    }

    static void write(String principal, String topic) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                as(principal).kafkaConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(
                            topic, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
    }

    static int read(String principal, String topic) {
        Map<String, Object> config = new HashMap<>(as(principal).kafkaConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, principal + ".it-" + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            int n = 0;
            long deadline = System.currentTimeMillis() + 8_000;
            while (System.currentTimeMillis() < deadline) {
                n += c.poll(Duration.ofMillis(300)).count();
            }
            return n;
        }
    }

    @Test
    void everyPrincipalGetsExactlyWhatTheCatalogGrantsAndTheBackboneRunsOnItsOwnAcls(@TempDir Path dir)
            throws Exception {
        ProductCatalog catalog = ProductCatalog.shipped();
        apply(catalog, AccessModel.load(CatalogSource.classpath()));

        // producers write nothing but their own raw stream (written below, by the orders service)
        assertThatThrownBy(() -> write("orders-service", "payments.raw.payment-events"))
                .hasRootCauseInstanceOf(TopicAuthorizationException.class)
                .hasMessageContaining("payments.raw.payment-events");
        assertThatThrownBy(() -> write("orders-service", "orders.product.orders.v1"))
                .hasRootCauseInstanceOf(TopicAuthorizationException.class);

        // the backbone, on its generated ACLs alone, exactly-once, with each domain service as its own principal
        Map<String, Ledger> ledgers = new LinkedHashMap<>();
        Map<String, Map<String, Double>> totals;
        try (BackboneApp app = Backbone.start(
                as("backbone"),
                catalog,
                APP_ID,
                Files.createDirectories(dir.resolve("state")).toString(),
                "integration-test-secret-0123456789",
                Map.of())) {
            for (String domain : List.of("orders", "payments", "customers")) {
                try (ShopSimulator simulator = new ShopSimulator(as(domain + "-service"))) {
                    ledgers.put(
                            domain,
                            simulator.run(new ShopSimulator.Plan(300, 0.1, 0, 5, Set.of(domain)), (sent, total) -> {}));
                }
            }
            ItSupport.awaitCommitted(as("admin"), catalog, APP_ID, Duration.ofMinutes(2));
            totals = app.productTotals();
        }
        ClientSettings admin = as("admin");
        Reconciler reconciler =
                new Reconciler(admin.clientConfig(), new RestSchemaRegistryClient(admin.clientConfig()));
        for (DataProduct p : catalog.products()) {
            if (p.join() == null && ledgers.containsKey(p.domain())) {
                Ledger ledger = ledgers.get(p.domain());
                assertThat(ledger.sendFailures()).as(p.domain()).isZero();
                StreamReport report = reconciler.reconcile(p, ledger, Reconciler.metric(totals, p.id(), "duplicate"));
                assertThat(report.reconciled())
                        .as(p.id() + ": " + report.problems())
                        .isTrue();
            }
        }

        // consumers read what they are granted, and nothing raw
        assertThat(read("fulfilment", "orders.product.orders.v1")).isPositive();
        assertThatThrownBy(() -> read("marketing", "orders.product.orders.v1"))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> read("fulfilment", "orders.raw.order-events"))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> read("orders-service", "payments.dlq.payment-events"))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(read("orders-service", "orders.dlq.order-events")).isPositive();
        write("orders-service", "orders.raw.order-events");

        // a grant added to the descriptor and applied opens the product
        CatalogFixtures.copyShipped(Path.of("../schemas"), dir.resolve("catalog"));
        Path descriptor = dir.resolve("catalog/domains/orders/orders.odps.yaml");
        Files.writeString(
                descriptor,
                Files.readString(descriptor)
                        .replace(
                                "value: [finance-reporting, fulfilment, sales-analytics]",
                                "value: [finance-reporting, fulfilment, sales-analytics, marketing]"));
        CatalogSource edited = CatalogSource.directory(dir.resolve("catalog"));
        apply(ProductCatalog.load(edited), AccessModel.load(edited));
        assertThat(read("marketing", "orders.product.orders.v1")).isPositive();

        // the registry: anyone may read schemas, only the platform may change them
        try (RestSchemaRegistryClient anonymous =
                new RestSchemaRegistryClient(Map.of("schema.registry.url", registry.url()))) {
            assertThat(anonymous.latest("orders.product.orders.v1-value")).isNotNull();
            assertThatThrownBy(() -> anonymous.register(
                            "orders.product.orders.v1-value",
                            SchemaBuilder.record("Forged").fields().endRecord()))
                    .isInstanceOfAny(RegistryMisconfiguredException.class, SchemaRegistryException.class)
                    .hasMessageContaining("401");
        }
    }
}
