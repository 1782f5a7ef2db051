package io.backbone.cli;

import io.backbone.cdc.CaptureStoppedException;
import io.backbone.cdc.CdcCapture;
import io.backbone.console.ProgressLine;
import io.backbone.contract.CompiledContract;
import io.backbone.product.ProductCatalog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Change data capture from a domain's PostgreSQL tables into its raw topics, until Ctrl-C. */
@Command(
        name = "cdc",
        description = "Capture the changes of a domain's PostgreSQL tables (Debezium, pgoutput: a snapshot, then"
                + " streaming) into <domain>.raw.<table>-changes as Confluent-framed Avro, or with --outbox relay a"
                + " service's transactional outbox to its raw topics, until Ctrl-C. Positions are kept in Kafka, so a"
                + " restart resumes where it stopped.")
final class CdcCommand implements Callable<Integer> {
    /** A table as {@code schema.table}, each part a plain SQL identifier. */
    private static final java.util.regex.Pattern TABLE =
            java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*");

    @Mixin
    ClusterOptions cluster;

    @Mixin
    ManagementOptions management;

    @Mixin
    DatabaseOptions database;

    @Option(
            names = "--domain",
            defaultValue = "inventory",
            description = "The domain whose database it is (default ${DEFAULT-VALUE}).")
    String domain;

    @Option(
            names = "--table",
            split = ",",
            defaultValue = "inventory.stock",
            description = "Tables to capture, schema.table (default ${DEFAULT-VALUE}).")
    List<String> tables;

    @Option(
            names = "--outbox",
            paramLabel = "TABLE",
            description = "Relay the transactional outbox schema.table of the domain's service instead (e.g."
                    + " orders.outbox): every event the service committed goes, bytes unchanged, to the raw topic its"
                    + " row names, keyed by the aggregate id, with CloudEvents headers (Debezium's outbox router).")
    String outbox;

    @Override
    public Integer call() throws Exception {
        if (outbox != null && !TABLE.matcher(outbox).matches()) {
            throw new UsageException("--outbox '" + outbox + "' is not schema.table, e.g. orders.outbox");
        }
        for (String t : tables) {
            if (!TABLE.matcher(t).matches()) {
                throw new UsageException("--table '" + t + "' is not schema.table, e.g. inventory.stock");
            }
        }
        ProductCatalog catalog = cluster.loadCatalog();
        Map<String, CompiledContract> contracts = catalog.contractsByTopic();
        List<String> domainTopics = catalog.products().stream()
                .filter(p -> p.rawTopic() != null && p.domain().equals(domain))
                .map(io.backbone.product.DataProduct::rawTopic)
                .distinct()
                .toList();
        if (outbox != null && domainTopics.isEmpty()) {
            throw new UsageException("the catalog has no raw topic of domain '" + domain + "' for the outbox's events;"
                    + " check --domain");
        }
        for (String t : outbox != null ? List.<String>of() : tables) {
            String topic = CdcCapture.rawTopic(domain, t);
            if (!contracts.containsKey(topic)) {
                BackboneCommand.say(
                        "backbone cdc: warning: no contract binds " + topic + "; its changes are captured"
                                + " but no product reads them until one does (see docs/cdc-and-outbox.md, Adding a CDC source)");
            }
        }
        CdcCapture.Database db = database.database();
        cluster.connect(true);
        CdcCapture capture = outbox != null
                ? new CdcCapture(
                        new CdcCapture.OutboxSettings(domain, outbox, domainTopics, db, cluster.settings(), (short) -1))
                : new CdcCapture(
                        new CdcCapture.Settings(domain, tables, db, cluster.settings(), contracts, (short) -1));
        io.backbone.ops.ManagementServer ops = management.create(9465);
        if (ops != null) {
            ops.beforeScrape(captureMeters(ops.registry(), capture))
                    .liveness(new io.backbone.ops.HealthCheck(
                            "capture",
                            () -> new io.backbone.ops.HealthCheck.Result(
                                    !capture.stopped().isDone(),
                                    capture.stopped().isDone()
                                            ? "stopped: " + capture.stopped().getNow("")
                                            : capture.status().phase())))
                    .readiness(new io.backbone.ops.HealthCheck("capture", () -> {
                        CdcCapture.Status st = capture.status();
                        boolean up = !capture.stopped().isDone()
                                && (st.phase().equals("streaming") || st.phase().equals("snapshot"))
                                && st.waiting() == null;
                        return new io.backbone.ops.HealthCheck.Result(
                                up, st.phase() + (st.waiting() == null ? "" : " (" + st.waiting() + ")"));
                    }))
                    .readiness(io.backbone.ops.RegistryProbe.check(
                            cluster.settings().clientConfig()));
            management.start(ops);
        }
        try {
            capture.start();
        } catch (CaptureStoppedException e) {
            capture.close();
            if (ops != null) {
                ops.close();
            }
            throw new UsageException(e.getMessage());
        }
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread hook = new Thread(() -> {
            outcome.complete(null);
            capture.close();
            if (ops != null) {
                ops.close();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        capture.stopped().thenAccept(outcome::complete);
        BackboneCommand.say(
                outbox != null
                        ? "Relaying the outbox " + outbox + " of " + db + " into " + domainTopics + ". Ctrl-C stops."
                        : "Capturing " + tables + " from " + db + " into "
                                + tables.stream()
                                        .map(t -> CdcCapture.rawTopic(domain, t))
                                        .toList()
                                + ". Ctrl-C stops.");
        ProgressLine progress = new ProgressLine(System.err);
        String failure;
        while (true) {
            try {
                failure = outcome.get(2, TimeUnit.SECONDS);
                break;
            } catch (java.util.concurrent.TimeoutException e) {
                CdcCapture.Status s = capture.status();
                progress.show("cdc " + s.phase() + ": "
                        + s.captured().entrySet().stream()
                                .map(en -> en.getKey() + " " + en.getValue())
                                .collect(Collectors.joining(", "))
                        + " changes" + (s.refused() == 0 ? "" : ", " + s.refused() + " outbox rows refused")
                        + (s.waiting() == null ? "" : " (" + s.waiting() + ")"));
            }
        }
        if (failure == null) {
            return 0;
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        capture.close();
        if (ops != null) {
            ops.close();
        }
        System.err.println();
        BackboneCommand.say("backbone cdc: " + failure + " (exit 1)");
        return 1;
    }

    /**
     * {@code backbone_cdc_changes_total{domain,source}} (changes written to Kafka, per table or outbox),
     * {@code backbone_outbox_refused_total{domain}} (rows moved aside to {@code _backbone.outbox-refused.<domain>}) and
     * {@code backbone_cdc_waiting} (1 while the capture waits for Kafka or the database); a source's counter appears
     * when the capture first reports it.
     */
    private Runnable captureMeters(io.micrometer.core.instrument.MeterRegistry registry, CdcCapture capture) {
        java.util.Set<String> bound = java.util.concurrent.ConcurrentHashMap.newKeySet();
        io.micrometer.core.instrument.Gauge.builder(
                        "backbone.cdc.waiting", () -> capture.status().waiting() == null ? 0 : 1)
                .tag("domain", domain)
                .description("1 while the capture waits for Kafka or the database, else 0")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder(
                        "backbone.outbox.refused", capture, c -> c.status().refused())
                .tag("domain", domain)
                .description("Outbox rows moved aside because they named no raw topic of the domain")
                .register(registry);
        Runnable refresh = () -> capture.status().captured().keySet().forEach(source -> {
            if (bound.add(source)) {
                io.micrometer.core.instrument.FunctionCounter.builder(
                                "backbone.cdc.changes",
                                capture,
                                c -> c.status().captured().getOrDefault(source, 0L))
                        .tags("domain", domain, "source", source)
                        .description("Changes captured from the database and acknowledged by Kafka")
                        .register(registry);
            }
        });
        refresh.run();
        return refresh;
    }
}
