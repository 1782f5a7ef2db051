package io.backbone.cli;

import static org.awaitility.Awaitility.await;

import io.backbone.consumer.TopicReader;
import io.backbone.kafka.ClientSettings;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.GroupProgress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Small helpers the end-to-end tests share. */
final class ItSupport {
    private ItSupport() {}

    /** Waits until {@code groupId} has committed every record of the catalog's raw topics. */
    static void awaitCommitted(ClientSettings settings, ProductCatalog catalog, String groupId, Duration timeout) {
        try (Admin admin = settings.admin()) {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                long[] p = GroupProgress.of(admin, groupId, new HashSet<>(Backbone.sourceTopics(catalog)));
                return p[1] > 0 && p[0] == p[1];
            });
        }
    }

    /** Waits until {@code groupId} has committed every record of {@code topics}. */
    static void awaitCommitted(
            ClientSettings settings, java.util.Set<String> topics, String groupId, Duration timeout) {
        try (Admin admin = settings.admin()) {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                long[] p = GroupProgress.of(admin, groupId, topics);
                return p[1] > 0 && p[0] == p[1];
            });
        }
    }

    static List<ConsumerRecord<byte[], byte[]>> read(ClientSettings settings, String topic) {
        return TopicReader.readAll(settings.clientConfig(), topic, Duration.ofSeconds(60));
    }

    /** The catalog in {@code folder}, its topics and subjects provisioned on the cluster {@code settings} reach. */
    static ProductCatalog provisioned(ClientSettings settings, java.nio.file.Path folder) {
        ProductCatalog catalog = ProductCatalog.load(io.backbone.catalog.CatalogSource.directory(folder));
        try (Admin admin = settings.admin()) {
            new io.backbone.provisioning.Provisioner(
                            admin, new io.backbone.registry.RestSchemaRegistryClient(settings.clientConfig()), 2)
                    .provision(catalog.products());
        }
        return catalog;
    }

    record Http(int status, String body) {}

    /** The management port a command printed in its output ({@code Management port: http://…/metrics, …}). */
    static String managementUrl(java.nio.file.Path output) throws java.io.IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Management port: (http://\\S+)/metrics")
                .matcher(java.nio.file.Files.readString(output));
        if (!m.find()) {
            throw new AssertionError(
                    "no management port in " + output + ":\n" + java.nio.file.Files.readString(output));
        }
        return m.group(1);
    }

    static Http get(String url) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        return new Http(r.statusCode(), r.body());
    }

    /** The value of the Prometheus sample {@code series} (name and labels exactly as exposed), or -1 when absent. */
    static double sample(String metrics, String series) {
        return metrics.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(
                        l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .findFirst()
                .orElse(-1);
    }
}
