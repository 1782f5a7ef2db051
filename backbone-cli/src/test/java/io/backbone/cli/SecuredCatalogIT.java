package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backbone.access.AccessModel;
import io.backbone.catalog.CatalogSource;
import io.backbone.catalogservice.CatalogServer;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.LocalPlatform;
import io.backbone.producer.simulation.ShopSimulator;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.CatalogPublisher;
import io.backbone.provisioning.Planner;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.topology.BackboneApp;
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
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The catalog of a secured cluster: nobody sees it without logging in as one of the cluster's principals; every
 * principal discovers every product (owner, schema, promises), and sees a product's sample record only if the access
 * model lets it read the product, with every field that is PII in any of the product's contracts withheld. Checked
 * through the JSON API and in a real headless Chromium as two principals.
 */
class SecuredCatalogIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String APP_ID = "secured-catalog-it";

    @Test
    void discoveryForEveryPrincipalDataOnlyByGrant(@TempDir Path dir) throws Exception {
        AccessModel access = AccessModel.load(CatalogSource.classpath());
        ProductCatalog catalog = ProductCatalog.shipped();
        try (LocalPlatform platform =
                LocalPlatform.startSecured(0, access.principals().keySet())) {
            Map<String, Path> files = platform.writeClientProperties(dir.resolve("principals"));
            ClientSettings admin = as(platform, "admin");
            try (Admin client = admin.admin();
                    RestSchemaRegistryClient schemas = new RestSchemaRegistryClient(admin.clientConfig())) {
                Planner planner = new Planner(client, schemas, 2);
                assertThat(planner.apply(planner.plan(catalog, access, APP_ID), true)
                                .refused())
                        .isEmpty();
            }
            new CatalogPublisher(admin.kafkaConfig()).publish(catalog.products());
            try (BackboneApp app = Backbone.start(
                    as(platform, "backbone"),
                    catalog,
                    APP_ID,
                    Files.createDirectories(dir.resolve("state")).toString(),
                    "integration-test-secret-0123456789",
                    Map.of())) {
                try (ShopSimulator simulator = new ShopSimulator(as(platform, "customers-service"))) {
                    simulator.run(new ShopSimulator.Plan(60, 0, 0, 3, Set.of("customers")), (sent, total) -> {});
                }
                ItSupport.awaitCommitted(admin, Set.of("customers.raw.customer-events"), APP_ID, Duration.ofMinutes(2));
            }
            try (CatalogServer server = CatalogServer.start(
                    new HashMap<>(as(platform, "backbone-catalog").clientConfig()), "127.0.0.1", 0)) {
                assertThat(server.awaitCatalog(Duration.ofSeconds(60))).isTrue();
                String marketing = password(files.get("marketing"));
                String finance = password(files.get("finance-reporting"));

                // nobody without a login, and not with another principal's password
                HttpResponse<String> anonymous = get(server, "/api/products/customers", null);
                assertThat(anonymous.statusCode()).isEqualTo(401);
                assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
                assertThat(anonymous.body()).doesNotContain("sample");
                assertThat(get(server, "/api/products/customers", "marketing:" + finance)
                                .statusCode())
                        .isEqualTo(401);
                assertThat(get(server, "/", null).statusCode()).isEqualTo(401);

                // marketing reads customers (a read role in its contract): a sample, PII masked or withheld
                JsonNode granted = JSON.readTree(get(server, "/api/products/customers", "marketing:" + marketing)
                        .body());
                assertThat(granted.path("schema")).isNotEmpty();
                JsonNode value = granted.path("sample").path("value");
                assertThat(value.isObject())
                        .as(granted.path("sample").toString())
                        .isTrue();
                assertThat(value.toString()).doesNotContain("@example").doesNotContain("@shop");
                // finance-reporting may not: discovery yes, data no
                JsonNode refused = JSON.readTree(get(server, "/api/products/customers", "finance-reporting:" + finance)
                        .body());
                assertThat(refused.path("schema")).isNotEmpty();
                assertThat(refused.path("owner").asText()).isNotEmpty();
                assertThat(refused.path("sample").has("value")).isFalse();
                assertThat(refused.path("sample").path("withheld").asText())
                        .contains("principal finance-reporting may not read customers.product.customers.v1")
                        .contains("customProperties.consumers");
                assertThat(JSON.readTree(get(server, "/api/products", "finance-reporting:" + finance)
                                        .body())
                                .path("count")
                                .asInt())
                        .isEqualTo(catalog.products().size());

                browse(server, "marketing", marketing, "finance-reporting", finance);
            }
        }
    }

    /** The product page in a real browser, as a principal granted the product and as one that is not. */
    static void browse(CatalogServer server, String granted, String grantedPw, String other, String otherPw) {
        WebDriver driver = Browsers.chromium();
        try {
            String base = server.url().replace("http://", "http://%s:%s@");
            driver.get(String.format(base, granted, grantedPw) + "/products/customers");
            assertThat(driver.findElement(By.id("sample")).isDisplayed()).isTrue();
            assertThat(driver.findElements(By.cssSelector("section[aria-labelledby=sample] pre")))
                    .isNotEmpty();
            assertThat(driver.findElements(By.cssSelector("p.withheld"))).isEmpty();

            // a second browser, as the other principal: nothing of the first one's login carries over
            WebDriver fresh = Browsers.chromium();
            try {
                fresh.get(String.format(base, other, otherPw) + "/products/customers");
                assertThat(fresh.findElement(By.cssSelector("p.withheld")).getText())
                        .contains("principal " + other + " may not read customers.product.customers.v1");
                assertThat(fresh.findElements(By.cssSelector("section[aria-labelledby=sample] pre")))
                        .isEmpty();
                // discovery is still there: the schema table
                assertThat(fresh.findElements(By.cssSelector("#schema-table tbody tr")))
                        .isNotEmpty();
            } finally {
                fresh.quit();
            }
        } finally {
            driver.quit();
        }
    }

    static ClientSettings as(LocalPlatform platform, String principal) {
        return new ClientSettings(
                platform.bootstrapServers(), platform.schemaRegistryUrl(), platform.clientProperties(principal));
    }

    static String password(Path file) throws Exception {
        return PrincipalSecretsIT.secrets(file).iterator().next();
    }

    static HttpResponse<String> get(CatalogServer server, String path, String userInfo) throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30));
        if (userInfo != null) {
            r.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
