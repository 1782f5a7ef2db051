package io.backbone.catalogservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backbone.catalogservice.access.Authenticator;
import io.backbone.catalogservice.access.KafkaLogin;
import io.backbone.catalogservice.access.LoginUnavailableException;
import io.backbone.catalogservice.access.Logins;
import io.backbone.catalogservice.access.TokenVerifier;
import io.backbone.catalogservice.access.Viewer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog service: a read-only JSON API (described by {@code /api/openapi.json}), web pages and lineage, served by
 * Jetty's core HTTP server (no servlet container, about 2 MB, starts in well under a second) on {@code 127.0.0.1}
 * unless told otherwise.
 */
public final class CatalogServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server server;
    private final CatalogState state;
    private final ClusterView cluster;
    private final CatalogApi api;
    private final Pages pages;
    private volatile OpenLineagePublisher openLineage;
    /** Null: no login (an unsecured cluster), every viewer is {@link Viewer#OPEN}. */
    private final Authenticator logins;

    private CatalogServer(
            Server server, CatalogState state, ClusterView cluster, CatalogApi api, Authenticator logins) {
        this.server = server;
        this.state = state;
        this.cluster = cluster;
        this.api = api;
        this.pages = new Pages(api);
        this.logins = logins;
    }

    /**
     * Starts reading the backbone's topics with {@code clientSettings} (bootstrap servers, security settings,
     * {@code schema.registry.url} for sample records) and serves on {@code bind:port} (port 0: any free port). On a
     * cluster that authenticates its clients (SASL), every request needs a login as one of the cluster's principals,
     * checked against the cluster itself, or a bearer token an installed {@link TokenVerifier} accepts.
     */
    public static CatalogServer start(Map<String, Object> clientSettings, String bind, int port) {
        return start(
                clientSettings,
                bind,
                port,
                KafkaLogin.secured(clientSettings)
                        ? Logins.withInstalledVerifiers(new KafkaLogin(clientSettings))
                        : null);
    }

    /** As {@link #start(Map, String, int)}, with the logins checked by {@code logins} (null: no login). */
    public static CatalogServer start(Map<String, Object> clientSettings, String bind, int port, Authenticator logins) {
        CatalogState state = new CatalogState(clientSettings, Duration.ofHours(6)).start();
        ClusterView cluster = new ClusterView(clientSettings);
        CatalogApi api = new CatalogApi(state, cluster, String.valueOf(clientSettings.get("bootstrap.servers")));
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("catalog-http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(bind);
        connector.setPort(port);
        server.addConnector(connector);
        CatalogServer catalog = new CatalogServer(server, state, cluster, api, logins);
        server.setHandler(catalog.new Routes());
        try {
            server.start();
        } catch (Exception e) {
            catalog.close();
            throw new IllegalStateException(
                    "the catalog cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        LOG.info(
                "Catalog at {} ({})",
                catalog.url(),
                logins == null ? "no login: the cluster is not secured" : "login required: " + logins.challenge());
        return catalog;
    }

    public String url() {
        ServerConnector c = (ServerConnector) server.getConnectors()[0];
        String host = c.getHost() == null || c.getHost().isEmpty() ? "0.0.0.0" : c.getHost();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + c.getLocalPort();
    }

    /**
     * Also sends the lineage as OpenLineage events to {@code endpoint} (e.g. {@code http://marquez:5000/api/v1/lineage})
     * every {@code interval}, with {@code apiKey} as a bearer token when given.
     */
    public void publishOpenLineage(java.net.URI endpoint, String apiKey, Duration interval) {
        openLineage = new OpenLineagePublisher(endpoint, apiKey, () -> {
                    java.util.List<JsonNode> out = new java.util.ArrayList<>();
                    api.openLineage().forEach(out::add);
                    return out;
                })
                .start(interval);
        LOG.info("Sending OpenLineage events to {} every {} s", endpoint, interval.toSeconds());
    }

    /** Waits until the catalog topic has been read once. */
    public boolean awaitCatalog(Duration timeout) throws InterruptedException {
        return state.awaitCaughtUp(timeout);
    }

    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = request.getHttpURI().getDecodedPath();
            boolean apiPath = path.startsWith("/api/");
            try {
                if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
                    response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                    throw new CatalogApi.BadRequest(
                            405,
                            "the catalog is read-only: " + request.getMethod() + " is not allowed",
                            null,
                            "use GET");
                }
                Viewer viewer = Viewer.OPEN;
                if (logins != null && !path.equals("/api/health") && !path.equals("/static/catalog.css")) {
                    String principal = logins.principal(request.getHeaders().get(HttpHeader.AUTHORIZATION));
                    if (principal == null) {
                        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, logins.challenge());
                        throw new CatalogApi.BadRequest(
                                401,
                                "log in as your Kafka principal (its SASL password) to see the catalog",
                                "Authorization",
                                "send HTTP basic credentials, or a bearer token your identity provider issued");
                    }
                    viewer = new Viewer(principal);
                }
                Map<String, String> params = params(request);
                if (apiPath) {
                    json(response, callback, 200, api(path, params, viewer));
                } else {
                    page(request, response, callback, path, params, viewer);
                }
            } catch (CatalogApi.BadRequest e) {
                if (apiPath) {
                    json(response, callback, e.status, e.json());
                } else {
                    html(
                            response,
                            callback,
                            e.status,
                            pages.error(e.status, e.getMessage() + (e.fix == null ? "" : " (" + e.fix + ")")));
                }
            } catch (LoginUnavailableException e) {
                LOG.warn("GET {}: {}", path, e.getMessage());
                if (apiPath) {
                    json(response, callback, 503, JSON.createObjectNode().put("error", e.getMessage()));
                } else {
                    html(response, callback, 503, pages.error(503, e.getMessage()));
                }
            } catch (RuntimeException e) {
                LOG.warn("GET {} failed: {}", path, e.toString());
                if (apiPath) {
                    json(
                            response,
                            callback,
                            500,
                            JSON.createObjectNode().put("error", "internal error: " + e.getMessage()));
                } else {
                    html(response, callback, 500, pages.error(500, "internal error: " + e.getMessage()));
                }
            }
            return true;
        }
    }

    private JsonNode api(String path, Map<String, String> params, Viewer viewer) {
        String[] parts = path.substring("/api/".length()).split("/");
        switch (parts[0]) {
            case "products" -> {
                if (parts.length == 1) {
                    return api.list(params);
                }
                noParams(params);
                if (parts.length == 2) {
                    return api.detail(parts[1], viewer);
                }
                if (parts.length == 3 && parts[2].equals("status")) {
                    return api.status(parts[1]);
                }
                if (parts.length == 3 && parts[2].equals("consumers")) {
                    api.product(parts[1]);
                    var out = JSON.createArrayNode();
                    cluster.consumers(api.product(parts[1]).path("productTopic").asText())
                            .forEach(out::add);
                    return out;
                }
            }
            case "lineage" -> {
                noParams(params);
                return api.lineage().json();
            }
            case "openlineage" -> {
                noParams(params);
                return api.openLineage();
            }
            case "alerts" -> {
                noParams(params);
                var out = JSON.createArrayNode();
                state.alerts(null).forEach(out::add);
                return out;
            }
            case "health" -> {
                return api.health();
            }
            case "openapi.json" -> {
                try (InputStream in = CatalogServer.class.getResourceAsStream("/catalog-service/openapi.json")) {
                    return JSON.readTree(in);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            default -> {}
        }
        throw new CatalogApi.BadRequest(404, "no such resource: " + path, "path", "see /api/openapi.json");
    }

    private static void noParams(Map<String, String> params) {
        if (!params.isEmpty()) {
            String name = params.keySet().iterator().next();
            throw new CatalogApi.BadRequest(
                    400, "unknown query parameter '" + name + "'", name, "this resource takes none");
        }
    }

    private void page(
            Request request,
            Response response,
            Callback callback,
            String path,
            Map<String, String> params,
            Viewer viewer) {
        if (path.equals("/")) {
            html(response, callback, 200, pages.list(params));
        } else if (path.startsWith("/products/") && path.length() > "/products/".length()) {
            html(response, callback, 200, pages.product(path.substring("/products/".length()), viewer));
        } else if (path.equals("/static/catalog.css")) {
            try (InputStream in = CatalogServer.class.getResourceAsStream("/catalog-service/catalog.css")) {
                write(response, callback, 200, "text/css; charset=utf-8", in.readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        } else {
            throw new CatalogApi.BadRequest(404, "no page at " + path, null, null);
        }
    }

    private static Map<String, String> params(Request request) {
        Map<String, String> out = new LinkedHashMap<>();
        Fields fields = Request.extractQueryParameters(request);
        for (Fields.Field f : fields) {
            out.put(f.getName(), f.getValue());
        }
        return out;
    }

    private static void json(Response response, Callback callback, int status, JsonNode body) {
        try {
            write(
                    response,
                    callback,
                    status,
                    "application/json",
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            callback.failed(e);
        }
    }

    private static void html(Response response, Callback callback, int status, String body) {
        write(response, callback, status, "text/html; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders()
                .put("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self' data:");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public void close() {
        if (openLineage != null) {
            openLineage.close();
        }
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("catalog server did not stop cleanly: {}", e.getMessage());
        }
        state.close();
        cluster.close();
    }
}
