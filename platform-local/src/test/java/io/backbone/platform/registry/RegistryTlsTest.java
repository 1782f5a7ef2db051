package io.backbone.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbone.registry.RegistryClientConfig;
import io.backbone.registry.RegistryMisconfiguredException;
import io.backbone.registry.RegistryUnavailableException;
import io.backbone.registry.RestSchemaRegistryClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client with Confluent's TLS settings ({@code schema.registry.ssl.*}) and bearer auth
 * ({@code bearer.auth.*}), against the embedded registry served over https with a certificate made for the test.
 */
class RegistryTlsTest {
    static final Schema ORDER = SchemaBuilder.record("Order")
            .namespace("t")
            .fields()
            .requiredString("id")
            .endRecord();
    static final String PASSWORD = "changeit-test";
    static final String TOKEN = "eyJ0ZXN0IjoidG9rZW4ifQ.test";

    @TempDir
    static Path dir;

    static EmbeddedSchemaRegistry registry;
    static Path trustStore;

    @BeforeAll
    static void serveHttps() throws Exception {
        Path keyStore = dir.resolve("registry.p12");
        trustStore = dir.resolve("clients.p12");
        Path cert = dir.resolve("registry.crt");
        keytool(
                "-genkeypair",
                "-alias",
                "registry",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        keytool(
                "-exportcert",
                "-alias",
                "registry",
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-file",
                cert.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "registry",
                "-file",
                cert.toString(),
                "-keystore",
                trustStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        registry = EmbeddedSchemaRegistry.builder().tls(tls).bearerToken(TOKEN).start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    static Map<String, Object> settings(String token) {
        return Map.of(
                RegistryClientConfig.SCHEMA_REGISTRY_URL,
                registry.url(),
                RegistryClientConfig.SSL_TRUSTSTORE_LOCATION,
                trustStore.toString(),
                RegistryClientConfig.SSL_TRUSTSTORE_PASSWORD,
                PASSWORD,
                RegistryClientConfig.SSL_TRUSTSTORE_TYPE,
                "PKCS12",
                RegistryClientConfig.BEARER_AUTH_CREDENTIALS_SOURCE,
                "STATIC_TOKEN",
                RegistryClientConfig.BEARER_AUTH_TOKEN,
                token,
                RegistryClientConfig.MAX_RETRIES,
                0);
    }

    @Test
    void registersAndReadsOverHttpsWithABearerToken() {
        assertThat(registry.url()).startsWith("https://localhost:");
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(settings(TOKEN))) {
            client.check();
            int id = client.register("tls-value", ORDER);

            assertThat(client.schemaById(id)).isEqualTo(ORDER);
        }
    }

    @Test
    void aWrongTokenIsRefusedAsAMisconfiguration() {
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(settings("wrong-token"))) {
            assertThatThrownBy(client::check)
                    .isInstanceOf(RegistryMisconfiguredException.class)
                    .hasMessageContaining("HTTP 401")
                    .hasMessageNotContaining("wrong-token");
        }
    }

    @Test
    void withoutTheTrustStoreTheCertificateIsNotTrusted() {
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(Map.of(
                RegistryClientConfig.SCHEMA_REGISTRY_URL,
                registry.url(),
                RegistryClientConfig.BEARER_AUTH_CREDENTIALS_SOURCE,
                "STATIC_TOKEN",
                RegistryClientConfig.BEARER_AUTH_TOKEN,
                TOKEN,
                RegistryClientConfig.MAX_RETRIES,
                0))) {
            assertThatThrownBy(client::check)
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("SSLHandshakeException");
        }
    }

    @Test
    void aMissingTrustStoreNamesTheSetting() {
        Map<String, Object> config = new java.util.HashMap<>(settings(TOKEN));
        config.put(
                RegistryClientConfig.SSL_TRUSTSTORE_LOCATION,
                dir.resolve("nowhere.p12").toString());

        assertThatThrownBy(() -> new RestSchemaRegistryClient(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(RegistryClientConfig.SSL_TRUSTSTORE_LOCATION)
                .hasMessageNotContaining(PASSWORD);
    }

    static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
