package io.backbone.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port of a long-running command: {@code GET /metrics} in the Prometheus text format (the command's
 * meters plus the JVM's), {@code /health/live} and {@code /health/ready} (200 when every check of the group is up,
 * else 503; a JSON body names each check and its detail). Read-only, binds where it is told (127.0.0.1 by default
 * in the commands), and says nothing a probe does not need.
 */
public final class ManagementServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The Prometheus text exposition format version 0.0.4, which every scraper reads. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final List<HealthCheck> live = new CopyOnWriteArrayList<>();
    private final List<HealthCheck> ready = new CopyOnWriteArrayList<>();
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
    private Server server;

    private ManagementServer(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** A registry with the JVM's meters (memory, GC, threads, class loading, CPU, uptime) bound; not yet serving. */
    public static ManagementServer create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return new ManagementServer(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Adds a check to {@code /health/live}: down means the process cannot recover and should be restarted. */
    public ManagementServer liveness(HealthCheck check) {
        live.add(check);
        return this;
    }

    /** Adds a check to {@code /health/ready}: down means do not send work (or traffic) here now. */
    public ManagementServer readiness(HealthCheck check) {
        ready.add(check);
        return this;
    }

    /** Runs {@code refresh} before every scrape (to register meters that appeared since the last one). */
    public ManagementServer beforeScrape(Runnable refresh) {
        beforeScrape.add(refresh);
        return this;
    }

    /**
     * Serves on {@code host:port} (port 0: any free port). Fails with the address and the reason when it cannot
     * listen, before the command does any work.
     */
    public ManagementServer start(String host, int port) {
        QueuedThreadPool threads = new QueuedThreadPool(4, 1);
        threads.setName("management-http");
        threads.setDaemon(true);
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Routes());
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException(
                    "the management port cannot listen on " + host + ":" + port + " (" + e.getMessage()
                            + "); pass --management-port with a free port, or 0 for any",
                    e);
        }
        LOG.info("Management port at {} (/metrics, /health/live, /health/ready)", url());
        return this;
    }

    public String url() {
        ServerConnector c = (ServerConnector) server.getConnectors()[0];
        String host = c.getHost() == null || c.getHost().isEmpty() ? "0.0.0.0" : c.getHost();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + c.getLocalPort();
    }

    /** The Prometheus text the {@code /metrics} endpoint would answer now. */
    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    /** Runs {@code checks}: the JSON body of a health endpoint and whether all are up. */
    static ObjectNode health(List<HealthCheck> checks) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode each = JSON.createObjectNode();
        boolean up = true;
        for (HealthCheck check : new ArrayList<>(checks)) {
            HealthCheck.Result r = check.run();
            up &= r.up();
            each.putObject(check.name()).put("status", r.up() ? "UP" : "DOWN").put("detail", r.detail());
        }
        body.put("status", up ? "UP" : "DOWN");
        body.set("checks", each);
        return body;
    }

    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = request.getHttpURI().getDecodedPath();
            if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                write(response, callback, 405, "text/plain; charset=utf-8", "use GET\n");
                return true;
            }
            switch (path) {
                case "/metrics" -> write(response, callback, 200, PROMETHEUS_TEXT, scrape());
                case "/health/live" -> health(response, callback, live);
                case "/health/ready" -> health(response, callback, ready);
                case "/health" -> {
                    List<HealthCheck> all = new ArrayList<>(live);
                    all.addAll(ready);
                    health(response, callback, all);
                }
                default ->
                    write(
                            response,
                            callback,
                            404,
                            "text/plain; charset=utf-8",
                            "no such endpoint: " + path + "; try /metrics, /health/live or /health/ready\n");
            }
            return true;
        }

        private void health(Response response, Callback callback, List<HealthCheck> checks) throws Exception {
            ObjectNode body = ManagementServer.health(checks);
            int status = "UP".equals(body.path("status").asText()) ? 200 : 503;
            write(response, callback, status, "application/json", JSON.writeValueAsString(body) + "\n");
        }

        private void write(Response response, Callback callback, int status, String type, String body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("management port did not stop cleanly: {}", e.getMessage());
            }
        }
        registry.close();
    }
}
