package io.backbone.cli;

import io.backbone.access.AccessModel;
import io.backbone.access.PrincipalKind;
import io.backbone.platform.LocalPlatform;
import io.backbone.platform.SecretFiles;
import io.backbone.product.ProductCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Writes the secrets of a deployment of the catalog's principals (docker-compose.yml reads them as Docker secrets):
 * one client-properties file per principal holding its own SASL/SCRAM and registry login and nothing else, the
 * broker's admin password, the registry's user file and JAAS configuration, a database login per domain that keeps its
 * data in PostgreSQL and the database's and Grafana's admin passwords. Each file readable by its owner only.
 */
@Command(
        name = "secrets",
        description = "Write one secret file per principal of the catalog (its own SCRAM and registry login), the"
                + " broker's admin password and the registry's user file, for docker-compose.yml's secrets.")
final class SecretsCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder to write into (created; files in it replaced).")
    Path dir;

    @Option(names = "--force", description = "Replace secrets that exist (every principal gets a new password).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        AccessModel access = AccessModel.load(cluster.catalogSource());
        if (access == null) {
            throw new UsageException(
                    "the catalog has no " + AccessModel.FILE + ": there are no principals to write" + " secrets for");
        }
        ProductCatalog catalog = cluster.loadCatalog();
        if (Files.exists(dir.resolve("admin.properties")) && !force) {
            throw new UsageException(dir + " holds secrets already: keep them, or add --force to replace every one"
                    + " (running services then need the new files)");
        }
        Files.createDirectories(dir);
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put("admin", SecretFiles.password());
        access.principals().keySet().forEach(p -> passwords.put(p, SecretFiles.password()));
        StringBuilder users = new StringBuilder("# the registry's logins: <principal>: <password>,<role>\n");
        for (Map.Entry<String, String> e : passwords.entrySet()) {
            String principal = e.getKey();
            String password = e.getValue();
            boolean writer = principal.equals("admin")
                    || !access.schemaSubjects(catalog, principal).isEmpty();
            SecretFiles.writeProperties(
                    dir.resolve(principal + ".properties"),
                    principal,
                    LocalPlatform.clientProperties(principal, password, writer));
            users.append(principal)
                    .append(": ")
                    .append(password)
                    .append(',')
                    .append(principal.equals("admin") ? "admin" : writer ? "developer" : "user")
                    .append('\n');
        }
        SecretFiles.write(dir.resolve("kafka-admin.password"), passwords.get("admin"));
        // one database login per domain that keeps its data in PostgreSQL (a capture or an outbox reads it), and the
        // database's own superuser, which only its initialisation uses
        java.util.SortedSet<String> databases = new java.util.TreeSet<>();
        access.principals().values().stream()
                .filter(p -> p.kind() == PrincipalKind.CDC)
                .forEach(p -> databases.add(p.domain()));
        for (String domain : databases) {
            SecretFiles.write(dir.resolve(domain + "-db.password"), SecretFiles.password());
        }
        SecretFiles.write(dir.resolve("postgres-admin.password"), SecretFiles.password());
        SecretFiles.write(dir.resolve("grafana-admin.password"), SecretFiles.password());
        SecretFiles.write(dir.resolve("registry-users.properties"), users.toString());
        // the registry is the platform's own, as in the embedded default: it keeps _schemas as the broker's admin
        SecretFiles.write(
                dir.resolve("registry-jaas.conf"),
                "KafkaClient {\n  org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\""
                        + " password=\"" + passwords.get("admin") + "\";\n};\n"
                        + "SchemaRegistry {\n  org.eclipse.jetty.jaas.spi.PropertyFileLoginModule required"
                        + " file=\"/run/secrets/registry-users.properties\";\n};\n");
        System.out.println("Wrote the secrets of " + passwords.size() + " principals to " + dir
                + " (each readable by its owner only): <principal>.properties holds that principal's own logins and"
                + " nothing else; kafka-admin.password and registry-*.* are the broker's and the registry's;"
                + " <domain>-db.password each domain's database login (" + String.join(", ", databases) + ").");
        return 0;
    }
}
