package io.backbone.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Registry client settings, under the property names Confluent's clients use. */
public final class RegistryClientConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String MAX_RETRIES = "schema.registry.max.retries";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(
                    SCHEMA_REGISTRY_URL,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Comma-separated registry URLs; each may carry a path prefix such as /apis/ccompat/v7.")
            .define(
                    BASIC_AUTH_CREDENTIALS_SOURCE,
                    Type.STRING,
                    "URL",
                    ConfigDef.ValidString.in("URL", "USER_INFO"),
                    Importance.MEDIUM,
                    "Where basic-auth credentials come from: USER_INFO (basic.auth.user.info) or URL (user:pass@host).")
            .define(
                    BASIC_AUTH_USER_INFO,
                    Type.PASSWORD,
                    "",
                    Importance.MEDIUM,
                    "user:password, used when basic.auth.credentials.source=USER_INFO.")
            .define(
                    MAX_RETRIES,
                    Type.INT,
                    8,
                    ConfigDef.Range.atLeast(0),
                    Importance.LOW,
                    "Retries of a request that failed on I/O or a 5xx answer before the registry counts as unavailable.")
            .define(
                    RETRY_BACKOFF_MS,
                    Type.LONG,
                    100L,
                    ConfigDef.Range.atLeast(1),
                    Importance.LOW,
                    "First backoff between retries; doubles up to schema.registry.retry.backoff.max.ms.")
            .define(
                    RETRY_BACKOFF_MAX_MS,
                    Type.LONG,
                    5_000L,
                    ConfigDef.Range.atLeast(1),
                    Importance.LOW,
                    "Longest backoff between retries.")
            .define(
                    REQUEST_TIMEOUT_MS,
                    Type.LONG,
                    10_000L,
                    ConfigDef.Range.atLeast(1),
                    Importance.LOW,
                    "Timeout of one HTTP request.")
            .define(
                    BEARER_AUTH_CREDENTIALS_SOURCE,
                    Type.STRING,
                    "",
                    ConfigDef.ValidString.in("", "STATIC_TOKEN"),
                    Importance.MEDIUM,
                    "STATIC_TOKEN sends bearer.auth.token as an OAuth bearer token; empty sends none.")
            .define(
                    BEARER_AUTH_TOKEN,
                    Type.PASSWORD,
                    "",
                    Importance.MEDIUM,
                    "The bearer token, used when bearer.auth.credentials.source=STATIC_TOKEN.")
            .define(
                    SSL_TRUSTSTORE_LOCATION,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Trust store for an https registry whose certificate the JVM's default trust store does not hold.")
            .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM, "Password of the trust store.")
            .define(
                    SSL_TRUSTSTORE_TYPE,
                    Type.STRING,
                    "JKS",
                    ConfigDef.ValidString.in("JKS", "PKCS12"),
                    Importance.LOW,
                    "JKS or PKCS12.")
            .define(
                    SSL_KEYSTORE_LOCATION,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Key store holding a client certificate, for registries that require mutual TLS.")
            .define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM, "Password of the key store.")
            .define(
                    SSL_KEYSTORE_TYPE,
                    Type.STRING,
                    "JKS",
                    ConfigDef.ValidString.in("JKS", "PKCS12"),
                    Importance.LOW,
                    "JKS or PKCS12.")
            .define(
                    SSL_KEY_PASSWORD,
                    Type.PASSWORD,
                    "",
                    Importance.LOW,
                    "Password of the private key in the key store (default: the key store's password).");

    public RegistryClientConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
    }

    public List<URI> urls() {
        List<String> raw = getList(SCHEMA_REGISTRY_URL);
        if (raw.isEmpty()) {
            throw new ConfigException(
                    SCHEMA_REGISTRY_URL, raw, "give at least one registry URL, e.g. http://localhost:8081");
        }
        return raw.stream()
                .map(String::trim)
                .map(u -> {
                    try {
                        URI uri = URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
                        if (uri.getScheme() == null || uri.getHost() == null) {
                            throw new IllegalArgumentException("no scheme or host");
                        }
                        return uri;
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(
                                SCHEMA_REGISTRY_URL,
                                redact(u),
                                "not a URL (" + redact(e.getMessage()) + "); write it as http://host:port[/prefix]");
                    }
                })
                .toList();
    }

    /**
     * {@code url} fit for a log, a health page or an error message: a password written into it
     * ({@code http://user:pass@host}) becomes {@code ***}. Works on anything that is not a URL too.
     */
    public static String redact(Object url) {
        return url == null ? null : USER_INFO.matcher(url.toString()).replaceAll("$1$2:***@");
    }

    private static final java.util.regex.Pattern USER_INFO =
            java.util.regex.Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@:\\s]*):[^/@\\s]*@");

    /** user:password for basic auth, or null when none is configured. */
    String userInfo(URI url) {
        if ("USER_INFO".equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))) {
            String info = getPassword(BASIC_AUTH_USER_INFO).value();
            return info.isEmpty() ? null : info;
        }
        return url.getUserInfo();
    }

    /** The Authorization header value, or null: a bearer token when configured, else basic auth, else none. */
    String authorization(URI url) {
        if ("STATIC_TOKEN".equals(getString(BEARER_AUTH_CREDENTIALS_SOURCE))) {
            String token = getPassword(BEARER_AUTH_TOKEN).value();
            if (token.isBlank()) {
                throw new ConfigException(
                        BEARER_AUTH_TOKEN, "(hidden)", "is empty while bearer.auth.credentials.source=STATIC_TOKEN");
            }
            return "Bearer " + token;
        }
        String userInfo = userInfo(url);
        return userInfo == null
                ? null
                : "Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString(userInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The TLS context for https registries: the configured trust and key stores, else the JVM's defaults. */
    javax.net.ssl.SSLContext sslContext() {
        String trustStore = getString(SSL_TRUSTSTORE_LOCATION);
        String keyStore = getString(SSL_KEYSTORE_LOCATION);
        try {
            if (trustStore.isEmpty() && keyStore.isEmpty()) {
                return javax.net.ssl.SSLContext.getDefault();
            }
            javax.net.ssl.TrustManager[] trust = null;
            if (!trustStore.isEmpty()) {
                var tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(
                        SSL_TRUSTSTORE_LOCATION, trustStore, getString(SSL_TRUSTSTORE_TYPE), SSL_TRUSTSTORE_PASSWORD));
                trust = tmf.getTrustManagers();
            }
            javax.net.ssl.KeyManager[] keys = null;
            if (!keyStore.isEmpty()) {
                var kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword = getPassword(SSL_KEY_PASSWORD).value();
                kmf.init(
                        load(SSL_KEYSTORE_LOCATION, keyStore, getString(SSL_KEYSTORE_TYPE), SSL_KEYSTORE_PASSWORD),
                        (keyPassword.isEmpty()
                                        ? getPassword(SSL_KEYSTORE_PASSWORD).value()
                                        : keyPassword)
                                .toCharArray());
                keys = kmf.getKeyManagers();
            }
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new ConfigException("cannot set up TLS for the schema registry: " + e.getMessage());
        }
    }

    private java.security.KeyStore load(String key, String location, String type, String passwordKey) {
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(location))) {
            java.security.KeyStore store = java.security.KeyStore.getInstance(type);
            store.load(in, getPassword(passwordKey).value().toCharArray());
            return store;
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new ConfigException(
                    key,
                    location,
                    "cannot be read as a " + type + " store ("
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                            + "); check the path, its type and " + passwordKey);
        }
    }

    int maxRetries() {
        return getInt(MAX_RETRIES);
    }

    Duration backoff() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MS));
    }

    Duration maxBackoff() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS));
    }

    Duration requestTimeout() {
        return Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS));
    }

    /** Convenience for code and tests that only know a URL. */
    public static RegistryClientConfig forUrl(String... urls) {
        return new RegistryClientConfig(Map.of(SCHEMA_REGISTRY_URL, String.join(",", Arrays.asList(urls))));
    }
}
