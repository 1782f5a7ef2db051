package io.backbone.platform.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.SchemaValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small schema registry speaking the Confluent Schema Registry REST API (the subset the backbone and Confluent's
 * Avro serializers use), checking compatibility with Avro's own validator and storing its state in a compacted
 * Kafka topic. It may be served under a path prefix and behind basic auth, to test clients against both.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

    static {
        // the JDK server's read timeout: a request whose headers and body have not arrived within 30 s is dropped,
        // so a client that sends slowly cannot hold a thread for ever (read once, before the first server starts)
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "30");
        }
    }

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Pattern VERSION = Pattern.compile("^/subjects/([^/]+)/versions/([^/]+)(/schema)?$");
    private static final Pattern COMPAT = Pattern.compile("^/compatibility/subjects/([^/]+)/versions/([^/]+)$");

    private final ObjectMapper json = new ObjectMapper();
    private final RegistryState state;
    private final SchemaStore store;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String prefix;
    private final String requiredAuth;
    private final boolean writesOnly;
    private final RegistryUsers users;
    private final long maxBodyBytes;
    private final String scheme;

    private EmbeddedSchemaRegistry(SchemaStore store, Builder b) throws IOException {
        this.store = store;
        this.state = new RegistryState(store);
        this.prefix = b.prefix == null ? "" : b.prefix.replaceAll("/+$", "");
        this.writesOnly = b.writesOnly;
        this.users = b.users;
        this.maxBodyBytes = b.maxBodyBytes;
        this.requiredAuth = b.bearerToken != null
                ? "Bearer " + b.bearerToken
                : b.userInfo == null
                        ? null
                        : "Basic " + Base64.getEncoder().encodeToString(b.userInfo.getBytes(StandardCharsets.UTF_8));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", b.port);
        if (b.tls == null) {
            this.server = HttpServer.create(address, 64);
            this.scheme = "http";
        } else {
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(b.tls));
            this.server = https;
            this.scheme = "https";
        }
        // slow clients hold a thread only until sun.net.httpserver.maxReqTime (set below) ends their request; at most
        // 32 requests run and 256 wait, beyond that the server's dispatcher runs one itself and accepts no more
        // meanwhile
        this.executor = new java.util.concurrent.ThreadPoolExecutor(
                32,
                32,
                0,
                java.util.concurrent.TimeUnit.MILLISECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(256),
                r -> {
                    Thread t = new Thread(r, "embedded-schema-registry");
                    t.setDaemon(true);
                    return t;
                },
                new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(executor);
        server.createContext(this.prefix.isEmpty() ? "/" : this.prefix, this::handle);
        server.start();
    }

    /** Builder for a registry; see {@link #builder()}. */
    public static final class Builder {
        private Map<String, Object> kafka;
        private String topic = "_schemas";
        private int port;
        private String prefix = "";
        private String userInfo;
        private String bearerToken;
        private boolean writesOnly;
        private RegistryUsers users;
        private long maxBodyBytes = 1 << 20;
        private SSLContext tls;

        /**
         * Every request needs one of these principals' own login; writes only to the subjects each is granted. The
         * set of grants may grow while the registry runs ({@link RegistryUsers#allowWrites}).
         */
        public Builder users(RegistryUsers users) {
            this.users = users;
            return this;
        }

        /** The largest request body accepted (default 1 MiB); a larger one is answered 413. */
        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** Keep state in {@code topic} on the cluster these client settings reach (default: in memory). */
        public Builder kafka(Map<String, Object> clientConfig, String topic) {
            this.kafka = clientConfig;
            this.topic = topic;
            return this;
        }

        /** Listen on {@code port} (0, the default, picks a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Serve the API under a path prefix, e.g. {@code /apis/ccompat/v7}. */
        public Builder pathPrefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        /** Require HTTP basic auth with {@code user:password}. */
        public Builder basicAuth(String userInfo) {
            this.userInfo = userInfo;
            return this;
        }

        /**
         * Require HTTP basic auth with {@code user:password} for writes only (register, set compatibility, delete):
         * every client may read schemas to decode, only the platform may change them.
         */
        public Builder basicAuthForWrites(String userInfo) {
            this.userInfo = userInfo;
            this.writesOnly = true;
            return this;
        }

        /** Require an OAuth bearer token (as Confluent clients send with {@code bearer.auth.token}). */
        public Builder bearerToken(String token) {
            this.bearerToken = token;
            return this;
        }

        /** Serve https with this server context (its key manager holds the registry's certificate). */
        public Builder tls(SSLContext context) {
            this.tls = context;
            return this;
        }

        public EmbeddedSchemaRegistry start() {
            SchemaStore store = kafka == null ? new MemorySchemaStore() : new KafkaSchemaStore(kafka, topic);
            try {
                EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(store, this);
                LOG.info(
                        "Embedded schema registry ready at {} (state in {})",
                        registry.url(),
                        kafka == null ? "memory" : "topic " + topic);
                return registry;
            } catch (IOException e) {
                store.close();
                throw new IllegalStateException(
                        "the embedded schema registry could not listen on port " + port + ": " + e.getMessage(), e);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL clients configure as {@code schema.registry.url}, prefix included. */
    public String url() {
        return scheme + "://" + (scheme.equals("https") ? "localhost" : "127.0.0.1") + ":"
                + server.getAddress().getPort() + prefix;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        store.close();
    }

    /** Every request gets an HTTP answer with Confluent's error JSON, whatever fails; then the exchange closes. */
    private void handle(HttpExchange ex) throws IOException {
        try {
            answer(ex);
        } catch (MalformedBody e) {
            send(ex, 400, error(400, e.getMessage()));
        } catch (BodyTooLarge e) {
            send(ex, 413, error(413, e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("Embedded schema registry failed on {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
            send(ex, 500, error(50001, "Error in the backend data store: " + e.getMessage()));
        } catch (IOException e) {
            LOG.debug(
                    "Embedded schema registry lost {} {}: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
        } finally {
            ex.close();
        }
    }

    /** A request body over the limit. */
    private static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge(String message) {
            super(message);
        }
    }

    /** A request body that is not JSON; the message says where it breaks. */
    private static final class MalformedBody extends RuntimeException {
        MalformedBody(String message) {
            super(message);
        }
    }

    private void answer(HttpExchange ex) throws IOException {
        {
            String path = ex.getRequestURI().getRawPath().substring(prefix.length());
            // reads: GET, and the two POSTs that change nothing (look a schema up; test compatibility)
            boolean read = "GET".equals(ex.getRequestMethod())
                    || "HEAD".equals(ex.getRequestMethod())
                    || "POST".equals(ex.getRequestMethod())
                            && (path.matches("/subjects/[^/]+/?") || path.startsWith("/compatibility/"));
            String authorization = ex.getRequestHeaders().getFirst("Authorization");
            if (requiredAuth != null
                    && !(writesOnly && read)
                    && !java.security.MessageDigest.isEqual(
                            requiredAuth.getBytes(StandardCharsets.UTF_8),
                            authorization == null ? new byte[0] : authorization.getBytes(StandardCharsets.UTF_8))) {
                send(ex, 401, error(401, "Unauthorized"));
                return;
            }
            if (users != null) {
                String principal = users.authenticate(authorization);
                if (principal == null) {
                    send(ex, 401, error(401, "Unauthorized: log in with your own principal's basic.auth.user.info"));
                    return;
                }
                String subject = read ? null : writtenSubject(path);
                if (!read && !users.mayWrite(principal, subject)) {
                    LOG.warn(
                            "Registry refused principal {} operation {} {} on {}",
                            principal,
                            ex.getRequestMethod(),
                            path,
                            subject == null ? "the global config" : "subject " + subject);
                    send(
                            ex,
                            403,
                            error(
                                    40301,
                                    "User " + principal + " is denied operation Write on "
                                            + (subject == null ? "the global config" : "Subject: " + subject)
                                            + ": the catalog grants it only its own domain's subjects"));
                    return;
                }
            }
            long declared = contentLength(ex);
            if (declared > maxBodyBytes) {
                send(
                        ex,
                        413,
                        error(413, "request body of " + declared + " bytes exceeds the limit of " + maxBodyBytes));
                return;
            }
            if (path.isEmpty()) {
                path = "/";
            }
            String query = ex.getRequestURI().getRawQuery();
            String method = ex.getRequestMethod();
            JsonNode body = "POST".equals(method) || "PUT".equals(method) ? readBody(ex) : null;
            Answer answer;
            try {
                answer = route(method, path, query, body);
            } catch (RegistryError e) {
                answer = fail(e.status, e.code, e.getMessage());
            }
            send(ex, answer.status, answer.body);
        }
    }

    private record Answer(int status, JsonNode body) {}

    private Answer ok(JsonNode body) {
        return new Answer(200, body);
    }

    private Answer fail(int status, int code, String message) {
        return new Answer(status, error(code, message));
    }

    private Answer route(String method, String path, String query, JsonNode body) {
        if (path.equals("/") && method.equals("GET")) {
            return ok(json.createObjectNode());
        }
        if (path.equals("/subjects") && method.equals("GET")) {
            return ok(json.valueToTree(state.subjects(flag(query, "deleted"))));
        }
        if (path.startsWith("/schemas/ids/") && method.equals("GET")) {
            String rest = path.substring("/schemas/ids/".length());
            boolean rawSchema = rest.endsWith("/schema");
            int id;
            try {
                id = Integer.parseInt(rawSchema ? rest.substring(0, rest.length() - 7) : rest);
            } catch (NumberFormatException e) {
                return fail(404, 40403, "Schema " + rest + " not found");
            }
            RegistryState.Stored stored = state.stored(id);
            if (stored == null) {
                return fail(404, 40403, "Schema " + id + " not found");
            }
            if (rawSchema) {
                return ok(json.valueToTree(stored.schema().toString()));
            }
            ObjectNode node =
                    json.createObjectNode().put("schema", stored.schema().toString());
            contract(node, stored);
            return ok(node);
        }
        Matcher m = VERSION.matcher(path);
        if (m.matches() && method.equals("GET")) {
            return getVersion(decode(m.group(1)), m.group(2), m.group(3) != null, flag(query, "deleted"));
        }
        if (m.matches() && m.group(3) == null && method.equals("DELETE")) {
            return ok(json.valueToTree(state.deleteVersion(decode(m.group(1)), m.group(2), flag(query, "permanent"))));
        }
        if (path.matches("^/subjects/[^/]+/?$") && method.equals("DELETE")) {
            return ok(json.valueToTree(state.deleteSubject(decode(path.split("/")[2]), flag(query, "permanent"))));
        }
        if (path.matches("^/subjects/[^/]+/metadata$") && method.equals("GET")) {
            String subject = decode(path.split("/")[2]);
            List<String> keys = params(query).getOrDefault("key", List.of());
            List<String> values = params(query).getOrDefault("value", List.of());
            if (keys.size() != values.size()) {
                return fail(422, 42202, "give as many value parameters as key parameters");
            }
            Map<String, String> wanted = new java.util.LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                wanted.put(keys.get(i), values.get(i));
            }
            RegistryState.Version v = state.latestWithMetadata(subject, wanted);
            if (v == null) {
                return fail(404, 40403, "Schema not found");
            }
            return ok(versionNode(subject, v));
        }
        if (path.matches("^/subjects/[^/]+/versions$")) {
            String subject = decode(path.split("/")[2]);
            if (method.equals("GET")) {
                List<RegistryState.Version> versions = state.versions(subject, flag(query, "deleted"));
                if (versions == null) {
                    return fail(404, 40401, "Subject '" + subject + "' not found.");
                }
                return ok(json.valueToTree(
                        versions.stream().map(RegistryState.Version::version).toList()));
            }
            if (method.equals("POST")) {
                return register(subject, body);
            }
        }
        if (path.matches("^/subjects/[^/]+$") && method.equals("POST")) {
            String subject = decode(path.split("/")[2]);
            Schema schema;
            try {
                schema = parse(body);
            } catch (SchemaParseException e) {
                return fail(422, 42201, "Invalid schema: " + e.getMessage());
            }
            boolean deleted = flag(query, "deleted");
            if (state.versions(subject, deleted) == null) {
                return fail(404, 40401, "Subject '" + subject + "' not found.");
            }
            RegistryState.Version v =
                    state.find(subject, schema, contractPart(body, "metadata"), contractPart(body, "ruleSet"), deleted);
            if (v == null) {
                return fail(404, 40403, "Schema not found");
            }
            return ok(versionNode(subject, v));
        }
        m = COMPAT.matcher(path);
        if (m.matches() && method.equals("POST")) {
            return compatibility(decode(m.group(1)), m.group(2), body);
        }
        if (path.equals("/config") || path.startsWith("/config/")) {
            String subject = path.equals("/config") ? null : decode(path.substring("/config/".length()));
            if (method.equals("GET")) {
                String mode = subject == null ? state.mode(null) : state.subjectMode(subject);
                if (mode == null && !state.config(subject).isEmpty() && !flag(query, "defaultToGlobal")) {
                    return ok(state.config(subject)); // metadata or rule set defaults, no compatibility of its own
                }
                if (mode == null) {
                    if (query != null && query.contains("defaultToGlobal=true")) {
                        mode = state.mode(null);
                    } else {
                        return fail(
                                404,
                                40408,
                                "Subject '" + subject + "' does not have subject-level compatibility configured");
                    }
                }
                ObjectNode answer = json.createObjectNode().put("compatibilityLevel", mode);
                answer.setAll(state.config(subject));
                return ok(answer);
            }
            if (method.equals("PUT")) {
                String mode = body == null ? null : body.path("compatibility").asText(null);
                boolean contractFields =
                        body != null && RegistryState.CONFIG_FIELDS.stream().anyMatch(body::has);
                if (mode == null && !contractFields || mode != null && !RegistryState.MODES.contains(mode)) {
                    return fail(422, 42203, "Invalid compatibility level. Valid values are " + RegistryState.MODES);
                }
                state.setConfig(subject, mode, body instanceof ObjectNode o ? o : null);
                ObjectNode answer = json.createObjectNode();
                if (mode != null) {
                    answer.put("compatibility", mode);
                }
                for (String f : RegistryState.CONFIG_FIELDS) {
                    if (body.has(f)) {
                        answer.set(f, body.get(f));
                    }
                }
                return ok(answer);
            }
        }
        return fail(404, 404, "HTTP 404 Not Found: " + method + " " + path);
    }

    private Answer getVersion(String subject, String versionText, boolean rawSchema, boolean deleted) {
        List<RegistryState.Version> versions = state.versions(subject, deleted);
        if (versions == null) {
            return fail(404, 40401, "Subject '" + subject + "' not found.");
        }
        RegistryState.Version v = resolveVersion(versions, versionText);
        if (v == null) {
            return fail(404, 40402, "Version " + versionText + " not found.");
        }
        return ok(rawSchema ? json.valueToTree(state.schema(v.id()).toString()) : versionNode(subject, v));
    }

    private static RegistryState.Version resolveVersion(List<RegistryState.Version> versions, String text) {
        if ("latest".equals(text) || "-1".equals(text)) {
            return versions.get(versions.size() - 1);
        }
        try {
            int n = Integer.parseInt(text);
            return versions.stream().filter(v -> v.version() == n).findFirst().orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Answer register(String subject, JsonNode body) {
        String type = body == null ? null : body.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            return fail(422, 42201, "Only AVRO schemas are supported by the embedded registry, got " + type);
        }
        Schema schema;
        try {
            schema = parse(body);
        } catch (SchemaParseException e) {
            return fail(422, 42201, "Invalid schema: " + e.getMessage());
        }
        try {
            RegistryState.Version v =
                    state.register(subject, schema, contractPart(body, "metadata"), contractPart(body, "ruleSet"));
            return ok(json.createObjectNode().put("id", v.id()));
        } catch (SchemaValidationException e) {
            return fail(
                    409,
                    409,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                            + "\" under " + state.mode(subject) + ": " + e.getMessage());
        }
    }

    private Answer compatibility(String subject, String versionText, JsonNode body) {
        Schema schema;
        try {
            schema = parse(body);
        } catch (SchemaParseException e) {
            return fail(422, 42201, "Invalid schema: " + e.getMessage());
        }
        List<RegistryState.Version> versions = state.versions(subject);
        if (versions == null) {
            return fail(404, 40401, "Subject '" + subject + "' not found.");
        }
        RegistryState.Version against = resolveVersion(versions, versionText);
        if (against == null) {
            return fail(404, 40402, "Version " + versionText + " not found.");
        }
        try {
            state.checkCompatible(subject, schema, "latest".equals(versionText) ? null : against);
            return ok(json.createObjectNode().put("is_compatible", true));
        } catch (SchemaValidationException e) {
            ObjectNode answer = json.createObjectNode().put("is_compatible", false);
            answer.putArray("messages").add(e.getMessage());
            return ok(answer);
        }
    }

    private ObjectNode versionNode(String subject, RegistryState.Version v) {
        RegistryState.Stored stored = state.stored(v.id());
        ObjectNode node = json.createObjectNode()
                .put("subject", subject)
                .put("version", v.version())
                .put("id", v.id())
                .put("schema", stored.schema().toString());
        if (v.deleted()) {
            node.put("deleted", true);
        }
        contract(node, stored);
        return node;
    }

    /** Adds the schema's metadata and rule set, as Confluent does (absent when it has none). */
    private static void contract(ObjectNode node, RegistryState.Stored stored) {
        if (stored.metadata() != null) {
            node.set("metadata", stored.metadata());
        }
        if (stored.ruleSet() != null) {
            node.set("ruleSet", stored.ruleSet());
        }
    }

    /** The request's {@code metadata} or {@code ruleSet} object; null when absent or null. */
    private static JsonNode contractPart(JsonNode body, String field) {
        JsonNode node = body == null ? null : body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new RegistryError(422, 42201, "Invalid schema: " + field + " must be an object, got " + node);
        }
        return node;
    }

    /** The query's parameters by name, each with its values in order. */
    private static Map<String, List<String>> params(String query) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(v);
        }
        return out;
    }

    private static boolean flag(String query, String name) {
        return params(query).getOrDefault(name, List.of()).stream().anyMatch("true"::equalsIgnoreCase);
    }

    private static Schema parse(JsonNode body) {
        if (body == null || !body.path("schema").isTextual()) {
            throw new SchemaParseException("the request body has no \"schema\" string");
        }
        return new Schema.Parser().parse(body.path("schema").asText());
    }

    /** The subject a write changes, null for the global config (or a path that names none). */
    private static String writtenSubject(String path) {
        String[] parts = path.split("/");
        if (parts.length >= 3 && (parts[1].equals("subjects") || parts[1].equals("config"))) {
            return decode(parts[2]);
        }
        return null;
    }

    private static long contentLength(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Content-Length");
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private JsonNode readBody(HttpExchange ex) throws IOException {
        // chunked bodies declare no length: read one byte past the limit to tell
        byte[] bytes = ex.getRequestBody().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        if (bytes.length > maxBodyBytes) {
            throw new BodyTooLarge("request body exceeds the limit of " + maxBodyBytes + " bytes");
        }
        if (bytes.length == 0) {
            return null;
        }
        try {
            return json.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new MalformedBody("the request body is not JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr());
        }
    }

    private ObjectNode error(int code, String message) {
        return json.createObjectNode().put("error_code", code).put("message", message);
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
