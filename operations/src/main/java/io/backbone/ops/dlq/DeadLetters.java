package io.backbone.ops.dlq;

import io.backbone.dlq.DeadLetter;
import io.backbone.kafka.TopicScan;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reading a dead-letter topic to its current end, committed records only, as plain Kafka tooling would. */
final class DeadLetters {
    private DeadLetters() {}

    /**
     * Calls {@code each} for every committed record of {@code topic} up to the end it has now; {@code fromTimestamp}
     * (ms, or -1) skips records written before it. Throws, naming a dead-letter topic to use, when it does not exist.
     */
    static long readAll(
            Map<String, Object> clientConfig,
            String topic,
            long fromTimestamp,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try {
            return TopicScan.scan(clientConfig, topic, fromTimestamp, null, each);
        } catch (IllegalArgumentException noTopic) {
            throw new IllegalArgumentException(
                    noTopic.getMessage() + "; name a dead-letter topic such as orders.dlq.order-events (backbone plan"
                            + " lists them)",
                    noTopic);
        }
    }

    static String header(ConsumerRecord<?, ?> r, String key) {
        return DeadLetter.text(r.headers(), key);
    }

    /** {@code <topic>/<partition>/<offset>}: how a dead letter is named in the redrive progress and headers. */
    static String position(ConsumerRecord<?, ?> r) {
        return r.topic() + "/" + r.partition() + "/" + r.offset();
    }

    static int redriveCount(ConsumerRecord<?, ?> r) {
        String n = header(r, DeadLetter.REDRIVE_COUNT);
        try {
            return n == null ? 0 : Math.max(0, Integer.parseInt(n.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
