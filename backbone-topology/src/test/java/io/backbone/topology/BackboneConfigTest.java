package io.backbone.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class BackboneConfigTest {
    static final String LINGER = StreamsConfig.producerPrefix("linger.ms");

    @Test
    void atLeastOnceLingersFiveMillisecondsExactlyOnceKeepsKafkaStreamsDefault() {
        Map<String, Object> alos = BackboneConfig.streamsProperties(
                Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));
        Map<String, Object> eos = BackboneConfig.streamsProperties(Map.of());

        assertThat(alos).containsEntry(LINGER, 5);
        assertThat(eos)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .doesNotContainKey(LINGER)
                .doesNotContainKey("linger.ms");
    }

    @Test
    void whatTheOperatorGivesWinsAndBackboneKeysStayOut() {
        Map<String, Object> given = BackboneConfig.streamsProperties(Map.of(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                StreamsConfig.AT_LEAST_ONCE,
                "linger.ms",
                20,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                1000,
                "backbone.dedup",
                "none"));

        assertThat(given)
                .containsEntry("linger.ms", 20)
                .doesNotContainKey(LINGER)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000)
                .doesNotContainKey("backbone.dedup");
    }
}
