package io.backbone.cli;

import io.backbone.catalog.CatalogException;
import io.backbone.catalog.CatalogSource;
import io.backbone.catalog.Problem;
import io.backbone.governance.GovernancePolicy;
import io.backbone.governance.Linter;
import io.backbone.producer.publish.ClientSettings;
import io.backbone.product.ProductCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** How every command reaches a cluster and a registry, and which catalog it uses. */
public final class ClusterOptions {
    @Option(
            names = "--bootstrap-servers",
            defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (env KAFKA_BOOTSTRAP_SERVERS; default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(
            names = "--schema-registry-url",
            defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://localhost:8081}",
            description =
                    "Schema registry URL, path prefix allowed (env SCHEMA_REGISTRY_URL; default ${DEFAULT-VALUE}).")
    String schemaRegistryUrl;

    @Option(
            names = {"--command-config", "--client-properties"},
            paramLabel = "FILE",
            description =
                    "Client properties (security.protocol, sasl.*, ssl.*, basic.auth.*) for Kafka clients and the registry.")
    Path clientProperties;

    @Option(
            names = "--catalog",
            paramLabel = "DIR",
            description = "Catalog folder (domains/ and avro/); default: the catalog shipped in the schemas jar.")
    Path catalog;

    public ClientSettings settings() {
        Map<String, String> extra = Map.of();
        if (clientProperties != null) {
            if (!Files.isRegularFile(clientProperties)) {
                throw new UsageException(
                        "--command-config " + clientProperties + ": no such file; give a Java properties file");
            }
            extra = ClientSettings.readProperties(clientProperties);
        }
        return new ClientSettings(bootstrapServers, schemaRegistryUrl, extra);
    }

    /**
     * The catalog, refused (with every problem) if it breaks the governance policy: the same check as
     * {@code backbone lint}, enforced again at start-up.
     */
    public ProductCatalog loadCatalog() {
        CatalogSource source = catalog == null ? CatalogSource.classpath() : CatalogSource.directory(catalog);
        List<Problem> problems = Linter.lint(source, GovernancePolicy.shipped());
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return ProductCatalog.load(source);
    }

    /** For commands that run on the embedded platform rather than the flags. */
    public ClusterOptions pointAt(String bootstrap, String registry) {
        this.bootstrapServers = bootstrap;
        this.schemaRegistryUrl = registry;
        return this;
    }
}
