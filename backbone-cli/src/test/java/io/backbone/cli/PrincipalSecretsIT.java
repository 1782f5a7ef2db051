package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbone.access.AccessModel;
import io.backbone.access.PrincipalKind;
import io.backbone.catalog.CatalogSource;
import io.backbone.platform.EmbeddedKafka;
import io.backbone.platform.LocalPlatform;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.registry.SchemaRegistryException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured embedded platform writes one properties file per principal: no file holds a secret that logs in as any
 * other principal, on the broker or the registry, and a capture may register its own domain's subjects only.
 */
class PrincipalSecretsIT {
    private static final Pattern JAAS_PASSWORD = Pattern.compile("password=\"([^\"]*)\"");

    @Test
    void noNonAdminFileHoldsASecretThatLogsInAsAnyOtherPrincipal(@TempDir Path dir) throws Exception {
        AccessModel access = AccessModel.load(CatalogSource.classpath());
        ProductCatalog catalog = ProductCatalog.shipped();
        try (LocalPlatform platform =
                LocalPlatform.startSecured(0, access.principals().keySet())) {
            access.principals().values().stream()
                    .filter(p -> p.kind() == PrincipalKind.CDC)
                    .forEach(p -> platform.allowSchemaWrites(p.name(), access.schemaSubjects(catalog, p.name())));
            Map<String, Path> files = platform.writeClientProperties(dir);
            Set<String> principals = platform.principals();

            int attempts = 0;
            for (Map.Entry<String, Path> file : files.entrySet()) {
                String owner = file.getKey();
                if (owner.equals("admin")) {
                    continue;
                }
                Set<String> secrets = secrets(file.getValue());
                assertThat(secrets).as(file.getValue().toString()).isNotEmpty();
                // its own secret works, on both
                assertThat(brokerLogin(platform, owner, secrets.iterator().next()))
                        .as(owner)
                        .isTrue();
                assertThat(registryStatus(platform, owner, secrets.iterator().next()))
                        .as(owner)
                        .isEqualTo(200);
                for (String secret : secrets) {
                    for (String other : principals) {
                        if (other.equals(owner)) {
                            continue;
                        }
                        assertThat(brokerLogin(platform, other, secret))
                                .as("a secret of %s logs in to the broker as %s", file.getValue(), other)
                                .isFalse();
                        assertThat(registryStatus(platform, other, secret))
                                .as("a secret of %s logs in to the registry as %s", file.getValue(), other)
                                .isEqualTo(401);
                        attempts++;
                    }
                }
            }
            assertThat(attempts).isGreaterThanOrEqualTo((principals.size() - 1) * (principals.size() - 1));

            // the capture registers its own domain's subjects, and no other domain's
            try (RestSchemaRegistryClient cdc = new RestSchemaRegistryClient(config(platform, "inventory-cdc"));
                    RestSchemaRegistryClient consumer = new RestSchemaRegistryClient(config(platform, "fulfilment"))) {
                var schema = SchemaBuilder.record("Probe")
                        .fields()
                        .optionalString("x")
                        .endRecord();
                assertThat(cdc.register("inventory.raw.stock-changes-value", schema))
                        .isPositive();
                assertThatThrownBy(() -> cdc.register("customers.raw.customer-events-value", schema))
                        .isInstanceOf(SchemaRegistryException.class)
                        .hasMessageContaining("403")
                        .hasMessageContaining("inventory-cdc")
                        .hasMessageContaining("customers.raw.customer-events-value");
                assertThat(consumer.schemaById(1)).isNotNull();
                assertThatThrownBy(() -> consumer.register("inventory.raw.stock-changes-value", schema))
                        .isInstanceOf(SchemaRegistryException.class)
                        .hasMessageContaining("403");
            }
            // nobody without a login, not even to look a schema up
            assertThat(registryStatus(platform, null, null)).isEqualTo(401);
        }
    }

    private static Map<String, Object> config(LocalPlatform platform, String principal) {
        Map<String, Object> c = new HashMap<>(platform.clientProperties(principal));
        c.put("schema.registry.url", platform.schemaRegistryUrl());
        return c;
    }

    /** Every password a properties file holds: its SASL login's and its registry login's. */
    static Set<String> secrets(Path file) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        Set<String> out = new LinkedHashSet<>();
        Matcher m = JAAS_PASSWORD.matcher(p.getProperty("sasl.jaas.config", ""));
        while (m.find()) {
            out.add(m.group(1));
        }
        String userInfo = p.getProperty("basic.auth.user.info");
        if (userInfo != null) {
            out.add(userInfo.substring(userInfo.indexOf(':') + 1));
        }
        return out;
    }

    static boolean brokerLogin(LocalPlatform platform, String user, String password) throws Exception {
        Map<String, Object> c = new HashMap<>(EmbeddedKafka.login("SCRAM-SHA-256", user, password));
        c.put("bootstrap.servers", platform.bootstrapServers());
        c.put("default.api.timeout.ms", 15_000);
        c.put("request.timeout.ms", 10_000);
        try (Admin admin = Admin.create(c)) {
            admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SaslAuthenticationException) {
                return false;
            }
            throw e;
        }
    }

    static int registryStatus(LocalPlatform platform, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.schemaRegistryUrl() + "/subjects"))
                .timeout(Duration.ofSeconds(10));
        if (user != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient()
                .send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
