package io.backbone.cli;

import io.backbone.access.AccessModel;
import io.backbone.access.PrincipalKind;
import io.backbone.catalog.CatalogSource;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.LocalPlatform;
import io.backbone.platform.LocalPostgres;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.CatalogPublisher;
import io.backbone.provisioning.Planner;
import io.backbone.registry.RestSchemaRegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A broker and registry for development, until Ctrl-C. */
@Command(
        name = "dev-cluster",
        description =
                "Start the embedded KRaft broker, schema registry and PostgreSQL (logical replication), secured (SASL/SCRAM, an ACL per principal of "
                        + "the shipped catalog, applied), write one client-properties file per principal, and print the "
                        + "addresses until Ctrl-C.")
final class DevClusterCommand implements Callable<Integer> {
    @Option(
            names = "--registry-port",
            defaultValue = "8081",
            description = "Port of the schema registry (default ${DEFAULT-VALUE}; 0 picks one).")
    int registryPort;

    @Option(names = "--insecure", description = "No authentication, no authorization: any client may do anything.")
    boolean insecure;

    @Option(
            names = "--principals-dir",
            description =
                    "Where to write <principal>.properties for --command-config (default: a new temporary folder).")
    Path principalsDir;

    @Option(
            names = "--postgres-port",
            defaultValue = "0",
            description = "Port of the embedded PostgreSQL on 127.0.0.1, the inventory domain's database"
                    + " (default ${DEFAULT-VALUE}: a free one).")
    int postgresPort;

    @Option(names = "--no-postgres", description = "Do not start PostgreSQL.")
    boolean noPostgres;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Keep the broker's log directory here and listen on --kafka-port: stopped (or killed) and"
                    + " started again with the same flags, the cluster has every topic, offset and schema it had."
                    + " Needs --insecure.")
    Path dataDir;

    @Option(
            names = "--kafka-port",
            paramLabel = "PORT",
            defaultValue = "9092",
            description = "Broker port on 127.0.0.1 with --data-dir (default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Override
    public Integer call() throws Exception {
        AccessModel access = AccessModel.load(CatalogSource.classpath());
        ProductCatalog catalog = ProductCatalog.shipped();
        if (dataDir != null && !insecure) {
            throw new UsageException("--data-dir keeps a development broker without authentication: add --insecure");
        }
        LocalPlatform platform = dataDir != null
                ? LocalPlatform.startPersistent(dataDir, kafkaPort, registryPort)
                : insecure
                        ? LocalPlatform.start(registryPort)
                        : LocalPlatform.startSecured(
                                registryPort, access.principals().keySet());
        access.principals().values().stream()
                .filter(p -> p.kind() == PrincipalKind.CDC)
                .forEach(p -> platform.allowSchemaWrites(p.name(), access.schemaSubjects(catalog, p.name())));
        LocalPostgres postgres = noPostgres ? null : LocalPostgres.start(postgresPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (postgres != null) {
                postgres.close();
            }
            platform.close();
            stopped.countDown();
        }));
        System.out.println("export KAFKA_BOOTSTRAP_SERVERS=" + platform.bootstrapServers());
        System.out.println("export SCHEMA_REGISTRY_URL=" + platform.schemaRegistryUrl());
        if (postgres != null) {
            System.out.println("export BACKBONE_JDBC_URL=" + postgres.jdbcUrl());
            Path pw = postgres.writePasswordFile(
                    principalsDir != null ? principalsDir : Files.createTempDirectory("backbone-postgres"));
            System.out.println("# PostgreSQL takes user " + LocalPostgres.USER + " with the password in " + pw
                    + " (SCRAM-SHA-256): give --db-password-file " + pw + " to backbone cdc and the services");
        }
        if (platform.secured()) {
            Path dir = principalsDir != null ? principalsDir : Files.createTempDirectory("backbone-principals");
            Map<String, Path> files = platform.writeClientProperties(dir);
            ClientSettings admin = new ClientSettings(
                    platform.bootstrapServers(), platform.schemaRegistryUrl(), platform.clientProperties("admin"));
            try (Admin client = admin.admin();
                    RestSchemaRegistryClient registry = new RestSchemaRegistryClient(admin.clientConfig())) {
                Planner planner = new Planner(client, registry, 4);
                planner.apply(planner.plan(catalog, access, "backbone"), false);
            }
            new CatalogPublisher(admin.kafkaConfig()).publish(catalog.products());
            System.out.println("# secured: SASL/SCRAM, nothing allowed without an ACL; the shipped catalog is applied"
                    + " (topics, subjects, ACLs). One client-properties file per principal, for --command-config:");
            files.forEach((principal, file) -> System.out.println("#   " + principal + ": " + file));
            System.out.println("# e.g. ./backbone topology --command-config " + files.get("backbone")
                    + "  (admin.properties can do anything: keep it for plan/apply)");
        } else {
            System.out.println(
                    "# insecure: any client may do anything. Then ./backbone provision && ./backbone topology.");
        }
        System.out.println(
                "# source the export lines in another shell, e.g. ./backbone dev-cluster > /tmp/cluster.env &"
                        + " then . /tmp/cluster.env. Ctrl-C stops.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
