package io.backbone.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.backbone.access.AccessModel;
import io.backbone.access.PrincipalKind;
import io.backbone.catalog.CatalogSource;
import io.backbone.catalogservice.CatalogServer;
import io.backbone.cdc.CdcCapture;
import io.backbone.console.ProgressLine;
import io.backbone.console.Table;
import io.backbone.consumer.sales.SalesView;
import io.backbone.contract.Masker;
import io.backbone.demo.InventoryReport;
import io.backbone.demo.JoinReport;
import io.backbone.demo.OutboxReport;
import io.backbone.demo.Reconciler;
import io.backbone.demo.StreamReport;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.LocalPlatform;
import io.backbone.platform.LocalPostgres;
import io.backbone.producer.inventory.InventoryService;
import io.backbone.producer.orders.OrderBook;
import io.backbone.producer.orders.OrdersService;
import io.backbone.producer.outbox.OutboxPublisher;
import io.backbone.producer.publish.ContractCheck;
import io.backbone.producer.simulation.Ledger;
import io.backbone.producer.simulation.ShopSimulator;
import io.backbone.product.DataProduct;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.CatalogPublisher;
import io.backbone.provisioning.GroupProgress;
import io.backbone.provisioning.Planner;
import io.backbone.provisioning.Provisioner;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.topology.BackboneApp;
import io.backbone.topology.BackboneConfig;
import io.backbone.topology.StateDirectories;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The embedded default, end to end: broker, registry, domain services, backbone, consumers, and a reconciliation. */
@Command(
        name = "demo",
        description = "Start the embedded broker and registry, run the domain services, the backbone and the consumers "
                + "on a bounded stream, and show where every event went. Exit status 0 only if everything reconciles.")
final class DemoCommand implements Callable<Integer> {
    private static final String APP_ID = "backbone-demo";

    @Spec
    CommandSpec spec;

    @Option(
            names = "--events",
            defaultValue = "10000",
            description = "Events the domain services send (default ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--invalid-ratio",
            defaultValue = "0.05",
            description = "Fraction of spoiled events, 0..1 (default ${DEFAULT-VALUE}).")
    double invalidRatio;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description = "Events per second; 0 sends as fast as the broker takes them.")
    double rate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulation (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the figures as JSON instead of tables.")
    boolean json;

    @Option(
            names = "--keep-running",
            description = "Keep broker, registry and backbone running after the report, until Ctrl-C.")
    boolean keepRunning;

    @Option(
            names = "--insecure",
            description = "Run the broker without authentication and authorization (the default is SASL/SCRAM with an "
                    + "ACL per principal of the catalog, every part of the demo as its own principal).")
    boolean insecure;

    @Option(
            names = "--catalog-port",
            defaultValue = "0",
            description = "Port of the data product catalog on 127.0.0.1 (default ${DEFAULT-VALUE}: a free one).")
    int catalogPort;

    @Override
    public Integer call() throws Exception {
        if (events < 1) {
            throw new UsageException("--events " + events + ": give at least 1");
        }
        if (invalidRatio < 0 || invalidRatio > 1) {
            throw new UsageException(
                    "--invalid-ratio " + invalidRatio + ": give a fraction between 0 and 1, e.g. 0.05");
        }
        PrintStream out = System.out;
        ProgressLine progress = new ProgressLine(System.err);
        long started = System.nanoTime();
        progress.done(
                "Starting embedded Kafka (KRaft) and schema registry" + (insecure ? " (insecure)…" : " (secured)…"));
        Path stateDir = Files.createTempDirectory("backbone-demo-state");
        Path properties = Files.createTempDirectory("backbone-demo-principals");
        ProductCatalog catalog = new ClusterOptions().loadCatalog();
        AccessModel access = AccessModel.load(CatalogSource.classpath());
        try (LocalPlatform platform = insecure
                ? LocalPlatform.start(0)
                : LocalPlatform.startSecured(0, access.principals().keySet())) {
            progress.done(
                    "Kafka at " + platform.bootstrapServers() + ", schema registry at " + platform.schemaRegistryUrl());
            java.util.function.Function<String, ClientSettings> as = principal -> new ClientSettings(
                    platform.bootstrapServers(), platform.schemaRegistryUrl(), platform.clientProperties(principal));
            ClientSettings settings = as.apply("admin");
            // a change data capture registers the schemas it derives from its tables: it writes to the registry
            access.principals().values().stream()
                    .filter(p -> p.kind() == PrincipalKind.CDC)
                    .forEach(p -> platform.allowSchemaWrites(p.name(), access.schemaSubjects(catalog, p.name())));
            if (platform.secured()) {
                platform.writeClientProperties(properties);
                progress.done("Secured (SASL/SCRAM, ACLs only): each part runs as its own principal; client "
                        + "properties for --command-config in " + properties);
            }
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig());
            try (Admin admin = settings.admin()) {
                if (platform.secured()) {
                    Planner planner = new Planner(admin, registry, 4);
                    Planner.Applied applied = planner.apply(planner.plan(catalog, access, APP_ID), false);
                    progress.done("Applied the catalog: " + applied.done().size()
                            + " topics, subjects and ACLs for products "
                            + catalog.products().stream().map(DataProduct::id).toList());
                } else {
                    Provisioner.Result provisioned = new Provisioner(admin, registry, 4).provision(catalog.products());
                    progress.done("Provisioned " + provisioned.createdTopics().size() + " topics and "
                            + provisioned.subjects().size() + " subjects for products "
                            + catalog.products().stream().map(DataProduct::id).toList());
                }
                new CatalogPublisher(settings.kafkaConfig()).publish(catalog.products());
                progress.done("Starting PostgreSQL (the inventory domain's database, logical replication)…");
                LocalPostgres postgres = LocalPostgres.start(0);
                Connection inventoryDb = postgres.connect();
                // rows that exist before the capture starts: its initial snapshot reads them
                InventoryService seeding = new InventoryService(inventoryDb, new java.util.Random(seed + 1), 0, 60);
                for (int i = 0; i < 40; i++) {
                    seeding.next();
                }
                InventoryService inventory =
                        new InventoryService(inventoryDb, new java.util.Random(seed), invalidRatio, 60);
                progress.done("PostgreSQL at " + postgres.jdbcUrl() + ": " + inventory.rows() + " rows in "
                        + InventoryService.TABLE);
                CatalogServer catalogServer = CatalogServer.start(
                        new HashMap<>(as.apply(platform.secured() ? "backbone-catalog" : "admin")
                                .clientConfig()),
                        "127.0.0.1",
                        catalogPort);
                progress.done("Data product catalog at " + catalogServer.url()
                        + (platform.secured()
                                ? " (log in as a principal with the password in its properties file; samples only of"
                                        + " the products it may read)"
                                : ""));

                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                try (BackboneApp app = Backbone.start(
                        as.apply(platform.secured() ? "backbone" : "admin"),
                        catalog,
                        APP_ID,
                        stateDir.toString(),
                        HexFormat.of().formatHex(secret),
                        Map.of(
                                // short status windows, so that the catalog shows live figures within seconds
                                BackboneConfig.STATUS_WINDOW_MS, 10_000L,
                                BackboneConfig.STATUS_GRACE_MS, 2_000L))) {
                    progress.done("Backbone running (exactly-once v2; masking secret generated for this run only)");
                    ClientSettings cdcSettings = as.apply(platform.secured() ? "inventory-cdc" : "admin");
                    // the orders service on its database: its events go through the transactional outbox
                    OutboxPublisher ordersOutbox = new OutboxPublisher(
                            OrderBook.OUTBOX,
                            OrdersService.SOURCE,
                            as.apply(platform.secured() ? producerOf(access, "orders") : "admin"),
                            new ContractCheck(catalog, ContractCheck.Mode.REJECT));
                    Connection ordersDb = postgres.connect();
                    OrderBook orderBook = new OrderBook(ordersDb, ordersOutbox);
                    CdcCapture relay = new CdcCapture(new CdcCapture.OutboxSettings(
                            OrdersService.DOMAIN,
                            OrderBook.OUTBOX,
                            List.of(OrdersService.TOPIC),
                            CdcCapture.Database.fromJdbcUrl(
                                    postgres.jdbcUrl(), LocalPostgres.USER, postgres.password()),
                            as.apply(platform.secured() ? "orders-outbox" : "admin"),
                            (short) -1));
                    relay.start();
                    progress.done("Orders service on PostgreSQL with a transactional outbox; relaying "
                            + OrderBook.OUTBOX + " into " + OrdersService.TOPIC);
                    CdcCapture capture = new CdcCapture(new CdcCapture.Settings(
                            "inventory",
                            List.of(InventoryService.TABLE),
                            CdcCapture.Database.fromJdbcUrl(
                                    postgres.jdbcUrl(), LocalPostgres.USER, postgres.password()),
                            cdcSettings,
                            catalog.contractsByTopic(),
                            (short) -1));
                    capture.start();
                    progress.done("Capturing " + InventoryService.TABLE + " (Debezium, pgoutput) into "
                            + CdcCapture.rawTopic("inventory", InventoryService.TABLE));
                    Ledger ledger;
                    Map<String, ClientSettings> services = new HashMap<>();
                    for (String domain : List.of("orders", "payments", "customers")) {
                        services.put(domain, as.apply(platform.secured() ? producerOf(access, domain) : "admin"));
                    }
                    try (ShopSimulator simulator = new ShopSimulator(services).withOutbox(orderBook)) {
                        ledger = simulator.run(
                                ShopSimulator.Plan.allDomains(events, invalidRatio, rate, seed),
                                (sent, total) -> progress.show("Producing " + ProgressLine.bar(sent, total)));
                    }
                    progress.done("Produced "
                            + ProgressLine.bar(ledger.entries().size(), events)
                            + (ledger.sendFailures() > 0 ? " (" + ledger.sendFailures() + " sends failed)" : ""));

                    long ordersCommitted = ledger.forTopic(OrdersService.TOPIC).size();
                    waitForCapture(relay, ordersCommitted, progress);
                    long inventoryChanges = Math.max(20, events / 40);
                    long captureTarget = inventory.rows() + inventoryChanges;
                    long invalidChanges = 0;
                    for (long i = 0; i < inventoryChanges; i++) {
                        invalidChanges += inventory.next().valid() ? 0 : 1;
                    }
                    progress.done("Inventory service: " + inventoryChanges + " inserts, updates and deletes ("
                            + invalidChanges + " breaking the contract), " + inventory.rows() + " rows");
                    waitForCapture(capture, captureTarget, progress);
                    waitForBackbone(admin, catalog, progress);
                    InventoryReport inventoryReport = InventoryReport.check(
                            settings.clientConfig(),
                            registry,
                            new Masker(HexFormat.of().formatHex(secret).getBytes(StandardCharsets.UTF_8)),
                            inventoryDb,
                            InventoryService.TABLE,
                            catalog.product("inventory"),
                            catalog.product("inventory.stock"));
                    OutboxReport outboxReport = OutboxReport.of(
                            settings.clientConfig(),
                            OrderBook.OUTBOX,
                            OrdersService.TOPIC,
                            ordersCommitted,
                            ledger.refused(OrdersService.TOPIC),
                            relay.status().captured().values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum());
                    capture.close();
                    relay.close();
                    ordersOutbox.close();
                    ordersDb.close();
                    inventoryDb.close();
                    postgres.close();
                    Map<String, Map<String, Double>> totals = app.productTotals();
                    Reconciler reconciler = new Reconciler(settings.clientConfig(), registry);
                    List<StreamReport> reports = new ArrayList<>();
                    List<JoinReport> joins = new ArrayList<>();
                    for (DataProduct p : catalog.products()) {
                        if (p.join() == null && services.containsKey(p.domain())) {
                            reports.add(
                                    reconciler.reconcile(p, ledger, Reconciler.metric(totals, p.id(), "duplicate")));
                        } else if (p.join() != null) {
                            joins.add(reconciler.reconcileJoin(p));
                        }
                    }
                    List<SalesView.Row> sales;
                    try (SalesView view = new SalesView(
                            as.apply(platform.secured() ? "sales-analytics" : "admin")
                                    .clientConfig(),
                            catalog,
                            io.backbone.access.AccessModel.group("sales-analytics", "demo"))) {
                        view.catchUp(Duration.ofSeconds(60));
                        sales = view.rows();
                    }
                    List<Map<String, Object>> versions = versions(settings, catalog);
                    boolean ok = reports.stream().allMatch(StreamReport::reconciled)
                            && joins.stream().allMatch(JoinReport::reconciled)
                            && inventoryReport.reconciled()
                            && ledger.sendFailures() == 0;
                    double seconds = (System.nanoTime() - started) / 1e9;
                    if (json) {
                        printJson(out, reports, joins, inventoryReport, outboxReport, versions, sales, ok, seconds);
                    } else {
                        printTables(out, reports, joins, inventoryReport, outboxReport, versions, sales, ok, seconds);
                    }
                    if (keepRunning) {
                        out.println("Still running: Kafka " + platform.bootstrapServers() + ", registry "
                                + platform.schemaRegistryUrl() + ", catalog " + catalogServer.url()
                                + ". Try: ./backbone consume customers.product.customers.v1 --bootstrap-servers "
                                + platform.bootstrapServers() + " --schema-registry-url " + platform.schemaRegistryUrl()
                                + (platform.secured()
                                        ? " --command-config " + properties.resolve("fulfilment.properties")
                                        : "")
                                + ". Ctrl-C stops.");
                        Thread.currentThread().join();
                    }
                    return ok ? 0 : 1;
                } finally {
                    catalogServer.close();
                }
            }
        } finally {
            StateDirectories.deleteQuietly(stateDir);
            StateDirectories.deleteQuietly(properties);
        }
    }

    /** The producer principal of {@code domain} in the catalog's principals. */
    static String producerOf(AccessModel access, String domain) {
        return access.principals().values().stream()
                .filter(p -> p.kind() == PrincipalKind.PRODUCER && domain.equals(p.domain()))
                .map(AccessModel.Principal::name)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "the catalog declares no producer principal for domain " + domain + " in " + AccessModel.FILE));
    }

    private static void waitForCapture(CdcCapture capture, long target, ProgressLine progress) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            long captured = capture.status().captured().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            if (captured >= target) {
                progress.done("Captured " + ProgressLine.bar(captured, target));
                return;
            }
            if (capture.stopped().isDone() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the capture wrote " + captured + " of " + target + " changes"
                        + (capture.stopped().isDone() ? ": " + capture.stopped().join() : " in 3 minutes"));
            }
            progress.show("Capturing " + ProgressLine.bar(captured, target)
                    + (capture.status().waiting() == null
                            ? ""
                            : " (" + capture.status().waiting() + ")"));
            Backbone.pause(200);
        }
    }

    private static void waitForBackbone(Admin admin, ProductCatalog catalog, ProgressLine progress) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        long[] p = GroupProgress.of(admin, APP_ID, new HashSet<>(Backbone.sourceTopics(catalog)));
        while (p[0] < p[1]) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the backbone committed " + p[0] + " of " + p[1] + " raw records in 5 minutes");
            }
            progress.show("Backbone " + ProgressLine.bar(p[0], p[1]));
            Backbone.pause(200);
            p = GroupProgress.of(admin, APP_ID, new HashSet<>(Backbone.sourceTopics(catalog)));
        }
        progress.done("Backbone " + ProgressLine.bar(p[0], p[1]) + " committed");
    }

    @SuppressWarnings("unchecked")
    private static void printTables(
            PrintStream out,
            List<StreamReport> reports,
            List<JoinReport> joins,
            InventoryReport inventory,
            OutboxReport outbox,
            List<Map<String, Object>> versions,
            List<SalesView.Row> sales,
            boolean ok,
            double seconds) {
        out.println();
        out.println("Where every event went");
        Table t = streamTable();
        for (StreamReport r : reports) {
            t.row(
                    r.rawTopic(),
                    r.productTopic(),
                    r.rawIn(),
                    r.productOut(),
                    stage(r, "deserialize"),
                    stage(r, "schema"),
                    stage(r, "quality"),
                    stage(r, "transform"),
                    stage(r, "serialize"),
                    r.duplicatesDropped(),
                    r.corrected(),
                    r.piiFieldsChecked(),
                    r.reconciled() ? "yes" : "NO");
        }
        out.print(t.render());
        for (StreamReport r : reports) {
            r.problems().forEach(p -> out.println("  " + r.product() + ": " + p));
        }
        out.println();
        out.println("The orders service's transactional outbox (an order and its event commit together; the relay"
                + " takes the events to Kafka)");
        Table o = outboxTable();
        o.row(
                outbox.outbox(),
                outbox.topic(),
                outbox.committed(),
                outbox.refused(),
                outbox.relayed(),
                outbox.depth(),
                outbox.lagP50Millis(),
                outbox.lagP95Millis());
        out.print(o.render());
        if (!joins.isEmpty()) {
            out.println();
            out.println("Cross-domain products (joins), recounted from their input products");
            Table j = joinTable();
            for (JoinReport r : joins) {
                j.row(
                        r.productTopic(),
                        r.leftIn(),
                        r.rightIn(),
                        r.expectedPairs(),
                        r.productOut(),
                        r.dlqOut(),
                        r.reconciled() ? "yes" : "NO");
            }
            out.print(j.render());
            joins.forEach(r -> r.problems().forEach(p -> out.println("  " + r.product() + ": " + p)));
        }
        out.println();
        out.println("Change data capture: " + inventory.table() + " (PostgreSQL) → " + inventory.rawTopic() + " → "
                + inventory.eventProduct() + " (changes) and " + inventory.entityProduct() + " (the table)");
        Table c = cdcTable();
        c.row(
                inventory.table(),
                inventory.rows(),
                inventory.rawIn(),
                inventory.eventsOut(),
                inventory.deadLettered(),
                inventory.entityRows(),
                inventory.rowsEqual(),
                inventory.heldAtLastValid(),
                inventory.reconciled() ? "yes" : "NO");
        out.print(c.render());
        inventory.problems().forEach(p -> out.println("  inventory: " + p));
        out.println();
        out.println("The table and its entity product, first rows (supplier_email is a keyed hash in the product)");
        Table rows = new Table("sku/warehouse", "quantity", "price_minor", "currency", "supplier_email", "in product");
        for (InventoryReport.SampleRow r : inventory.sample()) {
            Map<String, Object> e = r.entity();
            Object email = e == null ? null : e.get("supplier_email");
            rows.row(
                    r.key(),
                    e == null ? "-" : e.get("quantity"),
                    e == null ? "-" : e.get("price_minor"),
                    e == null ? "-" : e.get("currency"),
                    email == null ? "" : email.toString().substring(0, 12) + "…",
                    e == null ? "missing" : e.equals(r.table()) ? "= table" : "last valid state");
        }
        out.print(rows.render());
        out.println();
        out.println("Products: "
                + String.join(
                        ", ", reports.stream().map(StreamReport::productTopic).toList()) + "; dead letters: "
                + String.join(
                        ", ",
                        reports.stream().map(StreamReport::dlqTopic).distinct().toList()));
        out.println();
        out.println("Product versions: every live major of a product, and the consumer groups committing on it (a"
                + " deprecated one's are those still to move)");
        Table v = versionsTable();
        for (Map<String, Object> row : versions) {
            v.row(
                    row.get("productTopic"),
                    row.get("status"),
                    row.get("sunset"),
                    row.get("successor"),
                    String.join(", ", (List<String>) row.get("consumerGroups")));
        }
        out.print(v.render());
        out.println();
        out.println(
                "Sales view (from the orders and payments products; revenue = authorised − refunded, in major units)");
        out.print(SalesCommand.table(sales.stream().limit(24).toList()));
        out.println();
        out.printf("%s in %.1f s%n", ok ? "Everything reconciles" : "MISMATCH: see the problems above", seconds);
    }

    /** The table of raw streams, empty: its columns are what docs/demo.md's sample shows. */
    static Table streamTable() {
        return new Table(
                "raw topic",
                "product topic",
                "raw in",
                "product out",
                "dlq deserialize",
                "dlq schema",
                "dlq quality",
                "dlq transform",
                "dlq serialize",
                "duplicates dropped",
                "corrected",
                "PII fields checked",
                "reconciled");
    }

    /** The table of an outbox, empty. */
    static Table versionsTable() {
        return new Table("product topic", "status", "sunset", "successor", "consumer groups reading it");
    }

    /**
     * The products with more than one live major (topics {@code <domain>.product.<name>.v<major>}), each with its lifecycle and
     * the consumer groups that committed offsets on its topic.
     */
    static List<Map<String, Object>> versions(ClientSettings settings, ProductCatalog catalog) throws Exception {
        Map<String, List<DataProduct>> byDescriptor = new LinkedHashMap<>();
        for (DataProduct p : catalog.products()) {
            byDescriptor
                    .computeIfAbsent(p.productTopic().replaceAll("\\.v[0-9]+$", ""), k -> new ArrayList<>())
                    .add(p);
        }
        Map<String, java.util.TreeSet<String>> groupsByTopic = new java.util.HashMap<>();
        try (Admin admin = settings.admin()) {
            for (var g : admin.listConsumerGroups().all().get(30, java.util.concurrent.TimeUnit.SECONDS)) {
                admin.listConsumerGroupOffsets(g.groupId())
                        .partitionsToOffsetAndMetadata()
                        .get(30, java.util.concurrent.TimeUnit.SECONDS)
                        .keySet()
                        .forEach(tp -> groupsByTopic
                                .computeIfAbsent(tp.topic(), t -> new java.util.TreeSet<>())
                                .add(g.groupId()));
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<DataProduct> majors : byDescriptor.values()) {
            if (majors.size() < 2) {
                continue;
            }
            for (DataProduct p : majors.stream()
                    .sorted(java.util.Comparator.comparing(DataProduct::productTopic))
                    .toList()) {
                io.backbone.contract.Lifecycle life = p.output().contract().lifecycle();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("product", p.id());
                row.put("productTopic", p.productTopic());
                row.put("status", life.status());
                row.put("deprecatedOn", life.deprecated() ? String.valueOf(life.deprecatedOn()) : "");
                row.put("sunset", life.deprecated() ? String.valueOf(life.sunset()) : "");
                row.put("successor", life.deprecated() ? String.valueOf(life.successor()) : "");
                row.put(
                        "consumerGroups",
                        List.copyOf(groupsByTopic.getOrDefault(p.productTopic(), new java.util.TreeSet<>())));
                rows.add(row);
            }
        }
        return rows;
    }

    static Table outboxTable() {
        return new Table(
                "outbox",
                "into",
                "events committed",
                "refused at source",
                "relayed",
                "outbox depth",
                "relay lag p50 ms",
                "relay lag p95 ms");
    }

    /** The table of a change data capture source, empty. */
    static Table cdcTable() {
        return new Table(
                "table",
                "rows",
                "changes captured",
                "change product out",
                "dlq",
                "entity rows",
                "rows = table",
                "held at last valid",
                "reconciled");
    }

    /** The table of join products, empty. */
    static Table joinTable() {
        return new Table("product topic", "left in", "right in", "pairs in window", "product out", "dlq", "reconciled");
    }

    private static long stage(StreamReport r, String stage) {
        return r.dlqByStage().getOrDefault(stage, 0L);
    }

    private static void printJson(
            PrintStream out,
            List<StreamReport> reports,
            List<JoinReport> joins,
            InventoryReport inventory,
            OutboxReport outbox,
            List<Map<String, Object>> versions,
            List<SalesView.Row> sales,
            boolean ok,
            double seconds) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("reconciled", ok);
        doc.put("seconds", Math.round(seconds * 10) / 10.0);
        List<Map<String, Object>> streams = new ArrayList<>();
        for (StreamReport r : reports) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("product", r.product());
            m.put("rawTopic", r.rawTopic());
            m.put("productTopic", r.productTopic());
            m.put("dlqTopic", r.dlqTopic());
            m.put("rawIn", r.rawIn());
            m.put("productOut", r.productOut());
            m.put("dlqByStage", r.dlqByStage());
            m.put("duplicatesDropped", r.duplicatesDropped());
            m.put("corrected", r.corrected());
            m.put("piiFieldsChecked", r.piiFieldsChecked());
            m.put(
                    "expected",
                    Map.of(
                            "productOut",
                            r.expectedProduct(),
                            "dlqByStage",
                            r.expectedDlqByStage(),
                            "duplicatesDropped",
                            r.expectedDuplicates(),
                            "corrected",
                            r.expectedCorrected()));
            m.put("reconciled", r.reconciled());
            m.put("problems", r.problems());
            streams.add(m);
        }
        doc.put("streams", streams);
        doc.put("versions", versions);
        doc.put("joins", joins);
        Map<String, Object> cdc = new LinkedHashMap<>(inventory.figures());
        cdc.put("problems", inventory.problems());
        doc.put("cdc", List.of(cdc));
        doc.put("outbox", outbox);
        doc.put(
                "sales",
                sales.stream()
                        .map(r -> Map.of(
                                "hour",
                                r.hour().toString(),
                                "currency",
                                r.currency(),
                                "ordersPlaced",
                                r.ordersPlaced(),
                                "ordersCancelled",
                                r.ordersCancelled(),
                                "payments",
                                r.payments(),
                                "refunds",
                                r.refunds(),
                                "revenueMinor",
                                r.revenueMinor()))
                        .toList());
        try {
            out.println(new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
