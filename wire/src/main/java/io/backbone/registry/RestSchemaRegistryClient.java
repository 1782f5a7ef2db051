package io.backbone.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of the Confluent Schema Registry REST API (v1), usable against Confluent, Apicurio's ccompat API, Karapace,
 * Redpanda and the embedded registry. Caches ids in both directions and retries transient failures with backoff.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final RegistryClientConfig config;
    private final List<URI> urls;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

    public RestSchemaRegistryClient(RegistryClientConfig config) {
        this.config = config;
        this.urls = config.urls();
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.requestTimeout())
                .sslContext(config.sslContext())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public RestSchemaRegistryClient(Map<String, ?> configs) {
        this(new RegistryClientConfig(configs));
    }

    @Override
    public int register(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = answer.path("id").asInt();
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public int register(String subject, Schema schema, String metadata, String ruleSet) {
        ObjectNode body = schemaBody(schema);
        try {
            if (metadata != null) {
                body.set("metadata", json.readTree(metadata));
            }
            if (ruleSet != null) {
                body.set("ruleSet", json.readTree(ruleSet));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("metadata or rule set is not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", body);
        int id = answer.path("id").asInt();
        schemasById.putIfAbsent(id, schema);
        // the plain schema now maps to this version's id: a version registered without rules inherits them
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
        return id;
    }

    @Override
    public String latestRuleSet(String subject) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        JsonNode ruleSet = answer.get("ruleSet");
        return ruleSet == null || ruleSet.isNull() ? null : ruleSet.toString();
    }

    @Override
    public int idOf(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
        int id = answer.path("id").asInt();
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        Schema schema = parse(answer);
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        Schema schema = parse(answer);
        int id = answer.path("id").asInt();
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(subject, id, answer.path("version").asInt(), schema);
    }

    @Override
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        JsonNode answer;
        try {
            answer = send("DELETE", "/subjects/" + encode(subject) + (permanent ? "?permanent=true" : ""), null);
        } catch (SchemaNotFoundException e) {
            return List.of();
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == 40404 && !permanent) {
                return List.of(); // soft-deleted already
            }
            throw e;
        }
        List<Integer> versions = new ArrayList<>();
        answer.forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    @Override
    public List<Integer> versions(String subject) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions", null);
        List<Integer> versions = new ArrayList<>();
        answer.forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode answer =
                    send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema));
            return answer.path("is_compatible").asBoolean(false);
        } catch (SchemaNotFoundException e) {
            return true; // nothing registered yet: anything is compatible
        }
    }

    @Override
    public void setCompatibility(String subject, String mode) {
        ObjectNode body = json.createObjectNode().put("compatibility", mode);
        send("PUT", "/config/" + encode(subject), body);
    }

    @Override
    public String compatibility(String subject) {
        JsonNode answer = send("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null);
        JsonNode level =
                answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
        return level == null ? null : level.asText();
    }

    /**
     * Asks the registry for its global configuration with our credentials: returns normally when it answers as a
     * Confluent-compatible registry, else throws {@link RegistryMisconfiguredException} (refused, or not a registry)
     * or {@link RegistryUnavailableException} (unreachable).
     */
    public void check() {
        JsonNode answer = send("GET", "/config", null);
        if (!answer.has("compatibilityLevel") && !answer.has("compatibility")) {
            throw new RegistryMisconfiguredException(
                    200,
                    "GET " + urls.get(0) + "/config answered " + abbreviate(answer.toString())
                            + ", not a registry's configuration; point schema.registry.url at the registry (with its path "
                            + "prefix, e.g. /apis/ccompat/v7 for Apicurio)");
        }
    }

    /** The request body for {@code schema} in its {@link CanonicalSchema canonical form}. */
    private ObjectNode schemaBody(Schema schema) {
        return json.createObjectNode().put("schema", CanonicalSchema.of(schema).toString());
    }

    private static Schema parse(JsonNode answer) {
        return new Schema.Parser().parse(answer.path("schema").asText());
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Sends one request, trying each URL in turn and backing off between rounds; 4xx answers are final. */
    private JsonNode send(String method, String path, JsonNode body) {
        Duration backoff = config.backoff();
        Exception last = null;
        int attempts = config.maxRetries() + 1;
        for (int attempt = 0; attempt < attempts; attempt++) {
            URI base = urls.get(attempt % urls.size());
            try {
                HttpResponse<String> response =
                        http.send(request(base, method, path, body), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return body(response, method + " " + RegistryClientConfig.redact(base) + path);
                }
                if (status >= 500 || status == 429 || status == 408) {
                    last = new IOException(method + " " + RegistryClientConfig.redact(base) + path + " answered HTTP "
                            + status + ": " + response.body());
                } else {
                    throw error(status, response.body(), method + " " + RegistryClientConfig.redact(base) + path);
                }
            } catch (IOException e) {
                last = new IOException(describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException(
                        "interrupted while calling the schema registry at " + RegistryClientConfig.redact(base), e);
            }
            if (attempt + 1 < attempts) {
                LOG.warn(
                        "Schema registry {} {}{} failed ({}); retry {}/{} in {} ms",
                        method,
                        RegistryClientConfig.redact(base),
                        path,
                        last.getMessage(),
                        attempt + 1,
                        attempts - 1,
                        backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0
                        ? config.maxBackoff()
                        : backoff.multipliedBy(2);
            }
        }
        throw new RegistryUnavailableException(
                "schema registry " + RegistryClientConfig.redact(urls) + " unavailable for " + method + " " + path
                        + " after " + attempts + " attempts: " + (last == null ? "" : last.getMessage()),
                last);
    }

    private HttpRequest request(URI base, String method, String path, JsonNode body) throws IOException {
        URI target = URI.create(stripUserInfo(base) + path);
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(config.requestTimeout())
                .header("Accept", CONTENT_TYPE + ", application/json");
        String authorization = config.authorization(base);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        }
        return builder.build();
    }

    private static String stripUserInfo(URI base) {
        if (base.getUserInfo() == null) {
            return base.toString();
        }
        return base.getScheme() + "://" + base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort())
                + (base.getRawPath() == null ? "" : base.getRawPath());
    }

    /** A 2xx body as JSON; an HTML page or other non-JSON answer means the URL does not lead to a registry. */
    private JsonNode body(HttpResponse<String> response, String what) {
        String text = response.body();
        if (text.isEmpty()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(text);
        } catch (IOException notJson) {
            throw new RegistryMisconfiguredException(
                    response.statusCode(),
                    what + " answered HTTP " + response.statusCode() + " with " + contentType(response)
                            + " that is not JSON (" + abbreviate(text) + "): this URL is not a schema registry; check "
                            + "schema.registry.url and its path prefix");
        }
    }

    /**
     * A final 4xx answer. Only Confluent's error JSON with a "not found" {@code error_code} (40401 subject, 40402
     * version, 40403 schema) means the thing is not there; a 401/403, or a 404 that is not the registry's own, is a
     * misconfiguration.
     */
    private SchemaRegistryException error(int status, String body, String what) {
        Integer code = null;
        String message = body;
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.has("error_code")) {
                code = node.path("error_code").asInt();
                message = node.path("message").asText(body);
            }
        } catch (IOException notJson) {
            // not Confluent's error JSON: judged below
        }
        if (status == 403 && code != null) {
            return new RegistryMisconfiguredException(
                    status,
                    what + " was refused with HTTP 403: " + message
                            + "; this principal is not allowed that: use the client properties (--command-config) of"
                            + " the principal that owns it, or grant it in the catalog");
        }
        if (status == 401 || status == 403) {
            return new RegistryMisconfiguredException(
                    status,
                    what + " was refused with HTTP " + status + (code == null ? "" : " (" + abbreviate(message) + ")")
                            + ": the registry does not accept our credentials; check basic.auth.user.info or "
                            + "bearer.auth.token in the client properties (--command-config)");
        }
        if (code == null) {
            return new RegistryMisconfiguredException(
                    status,
                    what + " answered HTTP " + status + " without a registry's error JSON (" + abbreviate(body)
                            + "): this URL is not a schema registry; check schema.registry.url and its path prefix");
        }
        String full = what + ": " + message;
        if (status == 404 && (code == 40401 || code == 40402 || code == 40403)) {
            return new SchemaNotFoundException(code, full);
        }
        return new SchemaRegistryException(status, code, full);
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Content-Type")
                .map(t -> "a " + t + " body")
                .orElse("a body");
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() > 80 ? flat.substring(0, 80) + "…" : flat;
    }

    /** An I/O failure in words: the JDK's ConnectException has no message, "failed (null)" helps nobody. */
    private static String describe(IOException e) {
        String what = e instanceof java.net.ConnectException
                ? "connection refused"
                : e instanceof java.net.http.HttpTimeoutException
                        ? "timed out"
                        : e.getClass().getSimpleName();
        Throwable cause = e.getCause();
        String detail = e.getMessage() != null ? e.getMessage() : cause != null ? cause.toString() : null;
        return detail == null ? what : what + ": " + detail;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while backing off from the schema registry", e);
        }
    }
}
