package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backbone.contract.export.ConfluentContract;
import io.backbone.kafka.ClientSettings;
import io.backbone.platform.LocalPlatform;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.Planner;
import io.backbone.provisioning.Provisioner;
import io.backbone.registry.RestSchemaRegistryClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * On a real broker and registry: provisioning publishes each raw stream's contract with its schema as a Confluent
 * data contract (rule set and metadata), which a plain registration of the same schema (a serializer's) keeps, and
 * which the next plan finds unchanged.
 */
class ContractRuleSetIT {
    @Test
    void provisionPublishesEachRawStreamsContractAsARuleSetThatThePlanThenFindsInPlace() throws Exception {
        ProductCatalog catalog = ProductCatalog.shipped();
        try (LocalPlatform platform = LocalPlatform.start(0)) {
            ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig());
            try (Admin admin = settings.admin()) {
                new Provisioner(admin, registry, 1).provision(catalog.products());

                String subject = "orders.raw.order-events-value";
                JsonNode latest = get(platform.schemaRegistryUrl() + "/subjects/" + subject + "/versions/latest");
                ConfluentContract expected =
                        ConfluentContract.of(catalog.contracts().get("orders.raw.order-events"));
                assertThat(latest.path("ruleSet")).isEqualTo(expected.ruleSet());
                assertThat(latest.path("ruleSet").path("domainRules").size()).isGreaterThan(3);
                assertThat(latest.path("metadata")
                                .path("properties")
                                .path("backbone.contract.id")
                                .asText())
                        .isEqualTo("orders.raw.order-events");
                assertThat(get(platform.schemaRegistryUrl()
                                        + "/subjects/orders.product.orders.v1-value/versions/latest")
                                .has("ruleSet"))
                        .as("product topics carry no producer rules")
                        .isFalse();

                int id = latest.path("id").asInt();
                RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(settings.clientConfig());
                assertThat(fresh.register(
                                subject,
                                catalog.contracts()
                                        .get("orders.raw.order-events")
                                        .schema()))
                        .as("a serializer registering the plain schema gets the version with the rules")
                        .isEqualTo(id);

                Planner planner = new Planner(admin, registry, 1);
                assertThat(planner.plan(catalog, null, "backbone").changes())
                        .as("nothing left to publish")
                        .noneMatch(c -> c.detail().startsWith("rule set"));
            }
        }
    }

    static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }
}
