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
                    "Timeout of one HTTP request.");

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
                                u,
                                "not a URL (" + e.getMessage() + "); write it as http://host:port[/prefix]");
                    }
                })
                .toList();
    }

    /** user:password for basic auth, or null when none is configured. */
    String userInfo(URI url) {
        if ("USER_INFO".equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))) {
            String info = getPassword(BASIC_AUTH_USER_INFO).value();
            return info.isEmpty() ? null : info;
        }
        return url.getUserInfo();
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
