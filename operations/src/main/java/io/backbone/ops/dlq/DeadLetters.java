package io.backbone.ops.dlq;

import io.backbone.dlq.DeadLetter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reading a dead-letter topic to its current end, committed records only, as plain Kafka tooling would. */
final class DeadLetters {
    private DeadLetters() {}

    /**
     * Calls {@code each} for every committed record of {@code topic} up to the end it has now, partition by partition;
     * {@code fromTimestamp} (ms, or -1) skips records written before it. Throws when the topic does not exist.
     */
    static long readAll(
            Map<String, Object> clientConfig,
            String topic,
            long fromTimestamp,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist; name a dead-letter topic such"
                        + " as orders.dlq.order-events (backbone plan lists them)");
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            if (fromTimestamp >= 0) {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(tp -> query.put(tp, fromTimestamp));
                consumer.offsetsForTimes(query).forEach((tp, found) -> {
                    if (found == null) {
                        consumer.seek(tp, end.get(tp));
                    } else {
                        consumer.seek(tp, found.offset());
                    }
                });
            } else {
                consumer.seekToBeginning(partitions);
            }
            long read = 0;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        each.accept(r);
                        read++;
                    }
                }
            }
            return read;
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
