package io.backbone.cli;

import io.backbone.contract.Masker;
import io.backbone.ops.HealthCheck;
import io.backbone.ops.ManagementServer;
import io.backbone.ops.RegistryProbe;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.topology.BackboneApp;
import io.backbone.topology.BackboneConfig;
import io.backbone.topology.BackboneTopology;
import io.backbone.topology.dedup.DedupMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the backbone against a cluster, or describes its topology. */
@Command(name = "topology", description = "Run the backbone topology against a cluster until Ctrl-C, or --describe it.")
final class TopologyCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    ManagementOptions management;

    @Option(names = "--describe", description = "Print the topology (sub-topologies, processors, topics) and exit.")
    boolean describe;

    @Option(
            names = "--application-id",
            defaultValue = "backbone",
            description = "Kafka Streams application.id (default ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Kafka Streams state directory (default: <tmp>/backbone-state/<application.id>/<cluster id>,"
                    + " so that applications and clusters never share state).")
    String stateDir;

    @Option(names = "--products", split = ",", description = "Products to run (default: all in the catalog).")
    List<String> products;

    @Option(
            names = "--masking-secret-file",
            paramLabel = "FILE",
            description =
                    "File holding the PII hashing secret (else env BACKBONE_MASKING_SECRET). Start-up refuses to run without one.")
    Path maskingSecretFile;

    @Option(
            names = "--streams-config",
            paramLabel = "FILE",
            description = "Extra Kafka Streams properties (processing.guarantee, num.stream.threads, …).")
    Path streamsConfig;

    @Override
    public Integer call() throws Exception {
        ProductCatalog catalog = cluster.loadCatalog();
        if (describe) {
            var topology = BackboneTopology.topology(
                    products == null
                            ? catalog.products()
                            : products.stream().map(catalog::product).toList(),
                    new RestSchemaRegistryClient(Map.of("schema.registry.url", cluster.schemaRegistryUrl)),
                    new Masker(new byte[16]),
                    DedupMode.PRODUCT_TOPIC);
            System.out.println(topology.describe());
            return 0;
        }
        String secret = secret();
        Map<String, Object> overrides = new HashMap<>();
        if (streamsConfig != null) {
            overrides.putAll(io.backbone.kafka.ClientSettings.readProperties(streamsConfig));
        }
        if (products != null) {
            overrides.put(BackboneConfig.PRODUCTS, String.join(",", products));
        }
        String clusterId = cluster.connect(true);
        String dir = stateDir != null ? stateDir : defaultStateDir(applicationId, clusterId);
        BackboneCommand.say("Starting the backbone as application.id " + applicationId + " on cluster " + clusterId
                + " (" + cluster.bootstrapServers + "), state in " + dir);
        BackboneApp app = Backbone.create(cluster.settings(), catalog, applicationId, dir, secret, overrides);
        ManagementServer ops = management.create(9464);
        if (ops != null) {
            ops.beforeScrape(app.bindMetrics(ops.registry()))
                    .liveness(new HealthCheck(
                            "streams",
                            () -> new HealthCheck.Result(
                                    app.isAlive(), String.valueOf(app.streams().state()))))
                    .readiness(new HealthCheck(
                            "streams",
                            () -> new HealthCheck.Result(
                                    app.isRunning(),
                                    String.valueOf(app.streams().state()))))
                    .readiness(RegistryProbe.check(cluster.settings().clientConfig()));
            management.start(ops);
        }
        Backbone.run(app);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread hook = new Thread(() -> {
            outcome.complete(null);
            app.close();
            if (ops != null) {
                ops.close();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        app.failure().thenAccept(outcome::complete);
        BackboneCommand.say("Backbone running for "
                + app.products().stream()
                        .map(p -> p.sourceTopics() + " → " + p.productTopic())
                        .toList() + ". Ctrl-C stops.");
        String failure = outcome.get();
        if (failure == null) {
            return 0;
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        app.close();
        if (ops != null) {
            ops.close();
        }
        BackboneCommand.say("backbone topology: " + failure + "; stopping (exit 1)");
        return 1;
    }

    /** One folder per application id and cluster: a stale folder from another cluster corrupts tasks. */
    static String defaultStateDir(String applicationId, String clusterId) {
        return Path.of(System.getProperty("java.io.tmpdir"), "backbone-state", applicationId, clusterId)
                .toString();
    }

    private String secret() throws IOException {
        if (maskingSecretFile != null) {
            if (!Files.isRegularFile(maskingSecretFile)) {
                throw new UsageException("--masking-secret-file " + maskingSecretFile + ": no such file");
            }
            return Files.readString(maskingSecretFile).trim();
        }
        String env = System.getenv("BACKBONE_MASKING_SECRET");
        if (env == null || env.length() < 16) {
            throw new UsageException(
                    "no PII masking secret: set BACKBONE_MASKING_SECRET (at least 16 characters) or pass "
                            + "--masking-secret-file; keep it in your secret store, never in the repository");
        }
        return env;
    }
}
