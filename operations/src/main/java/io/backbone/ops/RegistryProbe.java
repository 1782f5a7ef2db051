package io.backbone.ops;

import io.backbone.registry.RegistryClientConfig;
import io.backbone.registry.RestSchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The readiness check "the schema registry answers": one {@code GET /config} with the command's own credentials, no
 * retries and a 2 s timeout, its answer kept for 5 s so that frequent probes do not load the registry. Down with the
 * reason (unreachable, refused, not a registry), never with the credentials.
 */
public final class RegistryProbe implements Supplier<HealthCheck.Result> {
    private static final long KEEP_NANOS = 5_000_000_000L;
    private final RestSchemaRegistryClient client;
    private final String url;
    private HealthCheck.Result last;
    private long lastAt;

    public RegistryProbe(Map<String, ?> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(RegistryClientConfig.MAX_RETRIES, 0);
        config.put(RegistryClientConfig.REQUEST_TIMEOUT_MS, 2000);
        this.client = new RestSchemaRegistryClient(config);
        this.url =
                RegistryClientConfig.redact(String.valueOf(clientConfig.get(RegistryClientConfig.SCHEMA_REGISTRY_URL)));
    }

    public static HealthCheck check(Map<String, ?> clientConfig) {
        return new HealthCheck("schemaRegistry", new RegistryProbe(clientConfig));
    }

    @Override
    public synchronized HealthCheck.Result get() {
        long now = System.nanoTime();
        if (last == null || now - lastAt > KEEP_NANOS) {
            try {
                client.check();
                last = HealthCheck.Result.up(url + " answers");
            } catch (RuntimeException e) {
                last = HealthCheck.Result.down(url + ": " + RegistryClientConfig.redact(e.getMessage()));
            }
            lastAt = now;
        }
        return last;
    }
}
