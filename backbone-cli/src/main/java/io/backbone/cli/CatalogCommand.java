package io.backbone.cli;

import io.backbone.catalogservice.CatalogServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The data product catalog: web pages and a JSON API on the backbone's own topics, until Ctrl-C. */
@Command(
        name = "catalog",
        description = "Serve the data product catalog (web page, JSON API, lineage, OpenLineage) read from the "
                + "cluster's _backbone.catalog, _backbone.status and _backbone.alerts topics, until Ctrl-C. Read-only.")
final class CatalogCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @picocli.CommandLine.Mixin
    ManagementOptions management;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String bind;

    @Option(
            names = "--port",
            defaultValue = "8090",
            description = "Port to listen on (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(
            names = "--openlineage-url",
            description = "Also send the lineage as OpenLineage events to this endpoint (one POST per product, "
                    + "e.g. http://marquez:5000/api/v1/lineage); its API key, if any, from the OPENLINEAGE_API_KEY "
                    + "environment variable.")
    java.net.URI openLineageUrl;

    @Option(
            names = "--openlineage-interval",
            defaultValue = "PT1M",
            description = "How often to send them (ISO-8601 duration, default ${DEFAULT-VALUE}).")
    Duration openLineageInterval;

    @Override
    public Integer call() throws Exception {
        if (openLineageUrl != null
                && !"http".equals(openLineageUrl.getScheme())
                && !"https".equals(openLineageUrl.getScheme())) {
            throw new UsageException("--openlineage-url " + openLineageUrl + ": give an http:// or https:// URL");
        }
        if (openLineageInterval.isNegative() || openLineageInterval.isZero()) {
            throw new UsageException(
                    "--openlineage-interval " + openLineageInterval + ": give a positive duration, e.g. PT1M");
        }
        if (port < 0 || port > 65535) {
            throw new UsageException("--port " + port + ": give 0..65535");
        }
        cluster.connect(false);
        Map<String, Object> settings = new HashMap<>(cluster.settings().clientConfig());
        io.backbone.ops.ManagementServer ops = management.create(9466);
        CatalogServer server = CatalogServer.start(settings, bind, port);
        java.util.concurrent.atomic.AtomicBoolean caughtUp = new java.util.concurrent.atomic.AtomicBoolean();
        if (ops != null) {
            ops.liveness(new io.backbone.ops.HealthCheck(
                            "http", () -> io.backbone.ops.HealthCheck.Result.up(server.url())))
                    .readiness(new io.backbone.ops.HealthCheck(
                            "catalog",
                            () -> new io.backbone.ops.HealthCheck.Result(
                                    caughtUp.get(),
                                    caughtUp.get()
                                            ? "read " + io.backbone.product.PlatformTopics.CATALOG
                                            : "reading " + io.backbone.product.PlatformTopics.CATALOG)))
                    .readiness(io.backbone.ops.RegistryProbe.check(settings));
            management.start(ops);
        }
        if (openLineageUrl != null) {
            server.publishOpenLineage(openLineageUrl, System.getenv("OPENLINEAGE_API_KEY"), openLineageInterval);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (ops != null) {
                ops.close();
            }
            stopped.countDown();
        }));
        boolean read = server.awaitCatalog(Duration.ofSeconds(30));
        caughtUp.set(read);
        if (!read) {
            Thread waiting = new Thread(
                    () -> {
                        try {
                            caughtUp.set(server.awaitCatalog(Duration.ofDays(365)));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "catalog-readiness");
            waiting.setDaemon(true);
            waiting.start();
        }
        System.out.println("Catalog at " + server.url()
                + (read ? "" : " (still waiting for _backbone.catalog: run 'backbone provision')"));
        System.out.println("JSON API at " + server.url() + "/api/products, OpenAPI at " + server.url()
                + "/api/openapi.json; Ctrl-C stops.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
