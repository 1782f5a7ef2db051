package io.backbone.cli;

import io.backbone.contract.Masker;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.topology.BackboneApp;
import io.backbone.topology.BackboneConfig;
import io.backbone.topology.BackboneTopology;
import io.backbone.topology.DedupMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the backbone against a cluster, or describes its topology. */
@Command(name = "topology", description = "Run the backbone topology against a cluster until Ctrl-C, or --describe it.")
final class TopologyCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--describe", description = "Print the topology (sub-topologies, processors, topics) and exit.")
    boolean describe;

    @Option(
            names = "--application-id",
            defaultValue = "backbone",
            description = "Kafka Streams application.id (default ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(
            names = "--state-dir",
            defaultValue = "${java.io.tmpdir}/backbone-state",
            description = "Kafka Streams state directory.")
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
            overrides.putAll(io.backbone.producer.publish.ClientSettings.readProperties(streamsConfig));
        }
        if (products != null) {
            overrides.put(BackboneConfig.PRODUCTS, String.join(",", products));
        }
        BackboneApp app = Backbone.start(cluster.settings(), catalog, applicationId, stateDir, secret, overrides);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }));
        System.err.println("Backbone running for "
                + app.products().stream()
                        .map(p -> p.sourceTopics() + " → " + p.productTopic())
                        .toList() + " as application.id " + applicationId + ". Ctrl-C stops.");
        stopped.await();
        return 0;
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
