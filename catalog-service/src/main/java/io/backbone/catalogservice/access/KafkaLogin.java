package io.backbone.catalogservice.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;

/**
 * HTTP basic logins checked against the broker itself: a person logs in to the catalog as the Kafka principal they
 * are, with its password, and the catalog proves it by logging in to the cluster with it (SASL, the mechanism and
 * transport of the catalog's own client settings). The catalog holds nobody's secret; a proven login is remembered,
 * as a digest, for {@link #REMEMBER}.
 */
public final class KafkaLogin implements Authenticator {
    static final Duration REMEMBER = Duration.ofMinutes(5);
    private static final int MAX_REMEMBERED = 1_000;

    private final Map<String, Object> base = new HashMap<>();
    private final String mechanism;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    private record Remembered(String principal, long until) {}

    /** {@code clientSettings}: the catalog's own; its bootstrap servers, security protocol, SASL mechanism and TLS. */
    public KafkaLogin(Map<String, Object> clientSettings) {
        for (Map.Entry<String, Object> e : clientSettings.entrySet()) {
            String k = e.getKey();
            if (k.equals("bootstrap.servers")
                    || k.equals("security.protocol")
                    || k.equals("sasl.mechanism")
                    || (k.startsWith("ssl.") && !k.startsWith("ssl.keystore") && !k.equals("ssl.key.password"))) {
                base.put(k, e.getValue());
            }
        }
        this.mechanism = String.valueOf(clientSettings.getOrDefault("sasl.mechanism", "GSSAPI"));
        if (!mechanism.startsWith("SCRAM-") && !mechanism.equals("PLAIN")) {
            throw new IllegalArgumentException("the catalog checks logins with SASL/SCRAM or PLAIN; the cluster's"
                    + " sasl.mechanism is " + mechanism + ": give the catalog a bearer-token verifier instead");
        }
    }

    /** Whether {@code clientSettings} reach a cluster that authenticates its clients with SASL. */
    public static boolean secured(Map<String, Object> clientSettings) {
        return String.valueOf(clientSettings.getOrDefault("security.protocol", "PLAINTEXT"))
                .startsWith("SASL_");
    }

    @Override
    public String principal(String authorization) {
        BasicCredentials login = BasicCredentials.parse(authorization);
        if (login == null) {
            return null;
        }
        String user = login.user();
        String password = login.password();
        String key = digest(user + ":" + password);
        long now = System.currentTimeMillis();
        Remembered r = remembered.get(key);
        if (r != null && r.until() > now) {
            return r.principal();
        }
        if (!logsIn(user, password)) {
            return null;
        }
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.entrySet().removeIf(en -> en.getValue().until() <= now);
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
        }
        remembered.put(key, new Remembered(user, now + REMEMBER.toMillis()));
        return user;
    }

    private boolean logsIn(String user, String password) {
        Map<String, Object> c = new HashMap<>(base);
        String module = mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        c.put(
                "sasl.jaas.config",
                module + " required username=\"" + quote(user) + "\" password=\"" + quote(password) + "\";");
        c.put("client.id", "backbone-catalog-login");
        c.put("request.timeout.ms", 10_000);
        c.put("default.api.timeout.ms", 10_000);
        try (Admin admin = Admin.create(c)) {
            admin.describeCluster().clusterId().get(15, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SaslAuthenticationException) {
                return false;
            }
            throw new LoginUnavailableException(
                    "cannot check the login with the cluster: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new LoginUnavailableException("the cluster did not answer the login within 15 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoginUnavailableException("interrupted", e);
        }
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String digest(String s) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String challenge() {
        return "Basic realm=\"backbone catalog\", charset=\"UTF-8\"";
    }
}
