package io.backbone.cli;

import io.backbone.kafka.ClientSettings;
import io.backbone.product.ProductCatalog;
import io.backbone.topology.BackboneApp;
import io.backbone.topology.BackboneConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/** Starting the backbone and watching its progress, shared by the commands that run it. */
final class Backbone {
    private Backbone() {}

    /** The backbone app, configured but not started. */
    static BackboneApp create(
            ClientSettings settings,
            ProductCatalog catalog,
            String applicationId,
            String stateDir,
            String secret,
            Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>(settings.clientConfig());
        props.put("application.id", applicationId);
        props.put("state.dir", stateDir);
        props.put(BackboneConfig.MASKING_SECRET, secret);
        props.putAll(overrides);
        return BackboneApp.create(props, catalog);
    }

    /** Starts the backbone and waits until it first runs. */
    static BackboneApp start(
            ClientSettings settings,
            ProductCatalog catalog,
            String applicationId,
            String stateDir,
            String secret,
            Map<String, Object> overrides) {
        BackboneApp app = create(settings, catalog, applicationId, stateDir, secret, overrides);
        run(app);
        return app;
    }

    /** Starts {@code app} and waits until it first runs; closes it and throws if it does not. */
    static void run(BackboneApp app) {
        app.start();
        try {
            if (!app.awaitRunning(Duration.ofSeconds(90))) {
                KafkaStreams.State state = app.streams().state();
                app.close();
                throw new BackboneStoppedException(
                        app.failure().isDone()
                                ? app.failure().join()
                                : "the backbone did not reach RUNNING within 90 s (state " + state + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            app.close();
            throw new IllegalStateException("interrupted while starting the backbone", e);
        }
    }

    /** Every topic the backbone reads: raw streams, and the products that join products read. */
    static List<String> sourceTopics(ProductCatalog catalog) {
        return catalog.products().stream()
                .flatMap(p -> p.sourceTopics().stream())
                .distinct()
                .toList();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
