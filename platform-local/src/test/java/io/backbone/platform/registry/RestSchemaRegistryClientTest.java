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
