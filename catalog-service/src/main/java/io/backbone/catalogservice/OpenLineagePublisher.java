package io.backbone.catalogservice;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the catalog's OpenLineage events to an OpenLineage HTTP endpoint (Marquez, DataHub, OpenMetadata…), one POST
 * per event as OpenLineage's HTTP transport does, every interval. An endpoint that refuses or is away is logged with
 * its status and retried at the next interval; the API key, when given, never reaches a log.
 */
public final class OpenLineagePublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenLineagePublisher.class);

    private final URI endpoint;
    private final String apiKey;
    private final Supplier<? extends Iterable<JsonNode>> events;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "openlineage-publisher");
        t.setDaemon(true);
        return t;
    });

    OpenLineagePublisher(URI endpoint, String apiKey, Supplier<? extends Iterable<JsonNode>> events) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.events = events;
    }

    OpenLineagePublisher start(Duration interval) {
        timer.scheduleWithFixedDelay(this::publishSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void publishSafely() {
        try {
            publish();
        } catch (RuntimeException e) {
            LOG.warn("OpenLineage events not sent to {} (retrying next time): {}", endpoint, e.toString());
        }
    }

    /** Sends every event once; returns how many the endpoint accepted. */
    int publish() {
        int accepted = 0;
        for (JsonNode event : events.get()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(event.toString()));
            if (apiKey != null && !apiKey.isBlank()) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            try {
                HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 == 2) {
                    accepted++;
                } else {
                    String body = r.body() == null ? "" : r.body().strip();
                    LOG.warn(
                            "OpenLineage endpoint {} refused the event of job {}: HTTP {} {}",
                            endpoint,
                            event.path("job").path("name").asText(),
                            r.statusCode(),
                            body.length() > 200 ? body.substring(0, 200) + "…" : body);
                }
            } catch (java.io.IOException e) {
                LOG.warn("OpenLineage endpoint {} is not reachable: {}", endpoint, e.toString());
                return accepted;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return accepted;
            }
        }
        return accepted;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
