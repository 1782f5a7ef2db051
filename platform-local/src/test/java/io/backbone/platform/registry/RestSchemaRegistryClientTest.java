package io.backbone.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbone.registry.RegistryClientConfig;
import io.backbone.registry.RegistryMisconfiguredException;
import io.backbone.registry.RegistryUnavailableException;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.registry.SchemaNotFoundException;
import io.backbone.registry.SchemaRegistryException;
import java.net.ServerSocket;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the embedded registry over real HTTP, served under Apicurio's ccompat prefix with basic auth. */
class RestSchemaRegistryClientTest {
    static final Schema V1 = SchemaBuilder.record("Order")
            .namespace("t")
            .fields()
            .requiredString("id")
            .endRecord();
    static final Schema V2 = SchemaBuilder.record("Order")
            .namespace("t")
            .fields()
            .requiredString("id")
            .optionalString("note")
            .endRecord();
    static final Schema BREAKING = SchemaBuilder.record("Order")
            .namespace("t")
            .fields()
            .requiredLong("id")
            .endRecord();

    EmbeddedSchemaRegistry registry;
    RestSchemaRegistryClient client;

    @BeforeEach
    void start() {
        registry = EmbeddedSchemaRegistry.builder()
                .pathPrefix("/apis/ccompat/v7")
                .basicAuth("svc:s3cret")
                .start();
        client = new RestSchemaRegistryClient(Map.of(
                RegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url(),
                RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                RegistryClientConfig.BASIC_AUTH_USER_INFO, "svc:s3cret"));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void shouldRegisterLookUpAndFetchSchemasUnderAPathPrefix() {
        assertThat(registry.url()).endsWith("/apis/ccompat/v7");
        int id = client.register("orders.raw.order-events-value", V1);

        assertThat(client.register("orders.raw.order-events-value", V1)).isEqualTo(id);
        assertThat(client.idOf("orders.raw.order-events-value", V1)).isEqualTo(id);
        assertThat(client.schemaById(id)).isEqualTo(V1);
        assertThat(client.latest("orders.raw.order-events-value").version()).isEqualTo(1);

        int id2 = client.register("orders.raw.order-events-value", V2);
        assertThat(id2).isNotEqualTo(id);
        assertThat(client.versions("orders.raw.order-events-value")).containsExactly(1, 2);
        assertThat(client.latest("orders.raw.order-events-value").schema()).isEqualTo(V2);
    }

    @Test
    void shouldEnforceTheSubjectsCompatibilityMode() {
        client.register("s-value", V1);
        assertThat(client.compatibility("s-value")).isEqualTo("BACKWARD");
        assertThat(client.isCompatible("s-value", V2)).isTrue();
        assertThat(client.isCompatible("s-value", BREAKING)).isFalse();
        assertThatThrownBy(() -> client.register("s-value", BREAKING))
                .isInstanceOf(SchemaRegistryException.class)
                .extracting(e -> ((SchemaRegistryException) e).errorCode())
                .isEqualTo(409);

        client.setCompatibility("s-value", "NONE");
        assertThat(client.compatibility("s-value")).isEqualTo("NONE");
        assertThat(client.register("s-value", BREAKING)).isPositive();
    }

    @Test
    void shouldReportAnUnknownIdAsNotFoundWithConfluentsErrorCode() {
        assertThatThrownBy(() -> client.schemaById(999_999))
                .isInstanceOf(SchemaNotFoundException.class)
                .extracting(e -> ((SchemaNotFoundException) e).errorCode())
                .isEqualTo(40403);
    }

    @Test
    void shouldFailWithoutCredentialsAndNotRetryA401() {
        RestSchemaRegistryClient anonymous = new RestSchemaRegistryClient(RegistryClientConfig.forUrl(registry.url()));

        assertThatThrownBy(() -> anonymous.register("s-value", V1))
                .isInstanceOf(RegistryMisconfiguredException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("basic.auth.user.info")
                .extracting(e -> ((SchemaRegistryException) e).status())
                .isEqualTo(401);
        assertThatThrownBy(anonymous::check).isInstanceOf(RegistryMisconfiguredException.class);
        client.check();
    }

    @Test
    void shouldRetryAnUnreachableRegistryThenReportItUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        RestSchemaRegistryClient unreachable = new RestSchemaRegistryClient(Map.of(
                RegistryClientConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + closedPort,
                RegistryClientConfig.MAX_RETRIES, "2",
                RegistryClientConfig.RETRY_BACKOFF_MS, "10"));

        assertThatThrownBy(() -> unreachable.schemaById(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("after 3 attempts");
    }

    @Test
    void aPasswordWrittenInTheRegistryUrlNeverReachesAnErrorMessage() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        RestSchemaRegistryClient unreachable = new RestSchemaRegistryClient(Map.of(
                RegistryClientConfig.SCHEMA_REGISTRY_URL, "http://alice:s3cr3t-pw@127.0.0.1:" + closedPort,
                RegistryClientConfig.MAX_RETRIES, "1",
                RegistryClientConfig.RETRY_BACKOFF_MS, "10"));

        assertThatThrownBy(() -> unreachable.schemaById(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("alice:***@127.0.0.1")
                .hasMessageNotContaining("s3cr3t-pw");
        assertThat(RegistryClientConfig.redact("https://u:p%40ss@reg.example:8081/apis/ccompat/v7, http://h:1"))
                .isEqualTo("https://u:***@reg.example:8081/apis/ccompat/v7, http://h:1");
        assertThatThrownBy(() -> new RestSchemaRegistryClient(
                        Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, "http://bob:hunter2@exa mple:1")))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void eachPrincipalLogsInAsItselfAndChangesOnlyTheSubjectsItIsGranted() {
        RegistryUsers users =
                new RegistryUsers(Map.of("admin", "admin-pw", "inventory-cdc", "cdc-pw", "fulfilment", "f-pw"));
        users.allowWrites("inventory-cdc", java.util.Set.of("inventory.raw.stock-changes-value"));
        try (EmbeddedSchemaRegistry secured =
                EmbeddedSchemaRegistry.builder().users(users).start()) {
            RestSchemaRegistryClient cdc = new RestSchemaRegistryClient(login(secured, "inventory-cdc:cdc-pw"));
            RestSchemaRegistryClient reader = new RestSchemaRegistryClient(login(secured, "fulfilment:f-pw"));
            RestSchemaRegistryClient impostor = new RestSchemaRegistryClient(login(secured, "admin:cdc-pw"));

            int id = cdc.register("inventory.raw.stock-changes-value", V1);
            assertThat(reader.schemaById(id)).isEqualTo(V1);
            assertThatThrownBy(() -> cdc.register("customers.raw.customer-events-value", V1))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("HTTP 403")
                    .hasMessageContaining(
                            "User inventory-cdc is denied operation Write on Subject: customers.raw.customer-events-value");
            assertThatThrownBy(() -> cdc.setCompatibility("customers.raw.customer-events-value", "NONE"))
                    .hasMessageContaining("403");
            assertThatThrownBy(() -> reader.register("inventory.raw.stock-changes-value", V2))
                    .hasMessageContaining("403");
            assertThatThrownBy(() -> impostor.schemaById(id)).hasMessageContaining("401");
            RestSchemaRegistryClient anonymous =
                    new RestSchemaRegistryClient(RegistryClientConfig.forUrl(secured.url()));
            assertThatThrownBy(() -> anonymous.isCompatible("inventory.raw.stock-changes-value", V2))
                    .hasMessageContaining("401");
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413BeforeItIsRead() throws Exception {
        try (EmbeddedSchemaRegistry small =
                EmbeddedSchemaRegistry.builder().maxBodyBytes(1024).start()) {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create(small.url() + "/subjects/s-value/versions"))
                                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                            "{\"schema\": \"" + "x".repeat(4096) + "\"}"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.body()).contains("exceeds the limit of 1024");
            RestSchemaRegistryClient c = new RestSchemaRegistryClient(RegistryClientConfig.forUrl(small.url()));
            assertThat(c.register("s-value", V1)).isPositive();
        }
    }

    private static Map<String, Object> login(EmbeddedSchemaRegistry r, String userInfo) {
        return Map.of(
                RegistryClientConfig.SCHEMA_REGISTRY_URL,
                r.url(),
                RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE,
                "USER_INFO",
                RegistryClientConfig.BASIC_AUTH_USER_INFO,
                userInfo);
    }

    @Test
    void shouldFailOverToTheNextUrlWhenTheFirstIsDown() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        RestSchemaRegistryClient failover = new RestSchemaRegistryClient(Map.of(
                RegistryClientConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + closedPort + "," + registry.url(),
                RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                RegistryClientConfig.BASIC_AUTH_USER_INFO, "svc:s3cret",
                RegistryClientConfig.RETRY_BACKOFF_MS, "10"));

        assertThat(failover.register("f-value", V1)).isPositive();
    }
}
