package io.backbone.consumer;

import io.backbone.kafka.TopicScan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a whole topic as it stands now (committed records only), without a consumer group, into a list: for audits
 * and checks of topics that fit in memory ({@link TopicScan} streams the larger ones).
 */
public final class TopicReader {
    private TopicReader() {}

    /** Every committed record of {@code topic} up to its current end; fails if the end is not reached in {@code timeout}. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(
            Map<String, Object> clientConfig, String topic, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try {
            TopicScan.scan(clientConfig, topic, -1, timeout, out::add);
        } catch (IllegalArgumentException noTopic) {
            throw new IllegalStateException(noTopic.getMessage(), noTopic);
        }
        return out;
    }
}
