package io.backbone.topology.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class BackboneMetersTest {
    final Map<MetricName, Metric> sensors = new LinkedHashMap<>();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    static Metric value(double v) {
        return new Metric() {
            @Override
            public MetricName metricName() {
                return null;
            }

            @Override
            public Object metricValue() {
                return v;
            }
        };
    }

    void put(String group, String name, String thread, Map<String, String> tags, double v) {
        Map<String, String> all = new LinkedHashMap<>(tags);
        all.put("thread-id", thread);
        sensors.put(new MetricName(name, group, "", all), value(v));
    }

    @Test
    void namesTheProductRuleAndStageCountersTheWayPrometheusUsersQueryThem() {
        put(ProductMetrics.GROUP, "valid-total", "t1", Map.of(ProductMetrics.TAG, "orders"), 40);
        put(ProductMetrics.GROUP, "valid-rate", "t1", Map.of(ProductMetrics.TAG, "orders"), 2.5);
        put(ProductMetrics.GROUP, "dlq-quality-total", "t1", Map.of(ProductMetrics.TAG, "orders"), 3);
        put(ProductMetrics.GROUP, "foreign-total", "t1", Map.of(ProductMetrics.TAG, "orders"), 1);
        put(
                ProductMetrics.RULE_GROUP,
                "failed-total",
                "t1",
                Map.of(ProductMetrics.RULE_TAG, "orders/currency.invalidValues"),
                3);
        put(ProductMetrics.RULE_GROUP, "warned-total", "t1", Map.of(ProductMetrics.RULE_TAG, "orders/late"), 2);
        new BackboneMeters(() -> sensors).bindTo(registry);

        String text = registry.scrape();

        assertThat(text)
                .contains("backbone_records_published_total{product=\"orders\"} 40.0")
                .contains("backbone_dead_letters_total{product=\"orders\",stage=\"quality\"} 3.0")
                .contains("backbone_foreign_records_skipped_total{product=\"orders\"} 1.0")
                .contains("backbone_rule_violations_total{product=\"orders\",rule=\"currency.invalidValues\","
                        + "severity=\"error\"} 3.0")
                .contains("backbone_rule_violations_total{product=\"orders\",rule=\"late\",severity=\"warning\"} 2.0")
                .doesNotContain("rate");
    }

    @Test
    void sumsTheStreamThreadsAndNeverGoesDownWhenAThreadIsReplaced() {
        put(ProductMetrics.GROUP, "valid-total", "t1", Map.of(ProductMetrics.TAG, "orders"), 10);
        put(ProductMetrics.GROUP, "valid-total", "t2", Map.of(ProductMetrics.TAG, "orders"), 5);
        BackboneMeters meters = new BackboneMeters(() -> sensors);
        meters.bindTo(registry);
        assertThat(registry.scrape()).contains("backbone_records_published_total{product=\"orders\"} 15.0");

        // thread t2 failed and was replaced by t3, whose sensor starts at zero
        sensors.keySet().removeIf(n -> "t2".equals(n.tags().get("thread-id")));
        put(ProductMetrics.GROUP, "valid-total", "t3", Map.of(ProductMetrics.TAG, "orders"), 1);
        meters.refresh();
        assertThat(registry.scrape()).contains("backbone_records_published_total{product=\"orders\"} 16.0");

        // a rule seen for the first time appears on the next refresh
        put(ProductMetrics.RULE_GROUP, "failed-total", "t1", Map.of(ProductMetrics.RULE_TAG, "orders/x"), 1);
        meters.refresh();
        assertThat(registry.scrape()).contains("rule=\"x\"");
    }
}
