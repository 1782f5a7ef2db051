package io.backbone.cli;

import io.backbone.catalog.CatalogException;
import io.backbone.catalog.CatalogSource;
import io.backbone.catalog.Problem;
import io.backbone.governance.GovernancePolicy;
import io.backbone.governance.Linter;
import io.backbone.kafka.ClientSettings;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RegistryClientConfig;
import io.backbone.registry.RegistryUnavailableException;
import io.backbone.registry.RestSchemaRegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
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
            names = "--connect-timeout",
            paramLabel = "SECONDS",
            defaultValue = "15",
            description = "How long to wait for the cluster and the registry to answer before giving up "
                    + "(default ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds;

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
            Failures.rememberPrincipal(extra);
        }
        return new ClientSettings(bootstrapServers, schemaRegistryUrl, extra);
    }

    /**
     * The catalog, refused (with every problem) if it breaks the governance policy: the same check as
     * {@code backbone lint}, enforced again at start-up.
     */
    public CatalogSource catalogSource() {
        return catalog == null ? CatalogSource.classpath() : CatalogSource.directory(catalog);
    }

    public ProductCatalog loadCatalog() {
        CatalogSource source = catalogSource();
        List<Problem> problems = Linter.lint(source, GovernancePolicy.shipped()).stream()
                .filter(p -> !p.warning())
                .toList();
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return ProductCatalog.load(source);
    }

    /**
     * Checks, within {@code --connect-timeout}, that a broker answers and, if {@code registry}, that the registry
     * answers as one with our credentials; returns the cluster id. Fails with one line naming the address and the fix.
     */
    public String connect(boolean registry) {
        ClientSettings settings = settings();
        Duration timeout = Duration.ofSeconds(Math.max(1, connectTimeoutSeconds));
        String clusterId;
        Admin admin = settings.admin();
        try {
            clusterId = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId()
                    .get(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(settings, timeout, e.getCause());
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(settings, timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + settings.bootstrapServers(), e);
        } finally {
            admin.close(Duration.ZERO);
        }
        if (registry) {
            checkRegistry(settings, timeout);
        }
        return clusterId;
    }

    /** Asks the registry until it answers or {@code timeout} has passed, quietly: one line if it never does. */
    private static void checkRegistry(ClientSettings settings, Duration timeout) {
        Map<String, Object> config = new HashMap<>(settings.clientConfig());
        config.put(RegistryClientConfig.MAX_RETRIES, 0);
        config.put(RegistryClientConfig.REQUEST_TIMEOUT_MS, timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(config)) {
            while (true) {
                try {
                    client.check();
                    return;
                } catch (RegistryUnavailableException e) {
                    if (System.nanoTime() > deadline) {
                        throw new RegistryUnavailableException(
                                "cannot reach the schema registry at "
                                        + io.backbone.registry.RegistryClientConfig.redact(settings.schemaRegistryUrl())
                                        + " within " + timeout.toSeconds() + " s (" + e.getMessage() + ")",
                                e);
                    }
                    Backbone.pause(500);
                }
            }
        }
    }

    private static ClusterUnreachableException unreachable(ClientSettings settings, Duration timeout, Throwable e) {
        String protocol = settings.extra().getOrDefault("security.protocol", "PLAINTEXT");
        return new ClusterUnreachableException(
                "cannot reach Kafka at " + settings.bootstrapServers() + ": no broker answered a metadata request"
                        + " within " + timeout.toSeconds() + " s (security.protocol " + protocol + "); check"
                        + " --bootstrap-servers (or KAFKA_BOOTSTRAP_SERVERS), that the broker is running, and that"
                        + " security.protocol matches its listener",
                e);
    }
}
