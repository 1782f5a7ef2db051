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

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port " + port + ": give 0..65535");
        }
        cluster.connect(false);
        Map<String, Object> settings = new HashMap<>(cluster.settings().clientConfig());
        CatalogServer server = CatalogServer.start(settings, bind, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        boolean read = server.awaitCatalog(Duration.ofSeconds(30));
        System.out.println("Catalog at " + server.url()
                + (read ? "" : " (still waiting for _backbone.catalog: run 'backbone provision')"));
        System.out.println("JSON API at " + server.url() + "/api/products, OpenAPI at " + server.url()
                + "/api/openapi.json; Ctrl-C stops.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
