package io.backbone.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from a point in time to the end it has when the scan starts, committed records only, without a
 * consumer group (nothing is committed, no group appears in the cluster): how the demo, the reports and the DLQ tools
 * read what a topic holds. Records are streamed to a callback, partition batches as they come, so a large topic is
 * never held in memory.
 */
public final class TopicScan {
    private TopicScan() {}

    /**
     * Calls {@code each} with every committed record of {@code topic} below the end offsets it has now; {@code
     * fromTimestamp} (ms, or -1 for the beginning) skips records written before it. Returns how many were read.
     *
     * @param timeout how long the whole scan may take (null: as long as it needs)
     * @throws IllegalArgumentException when the topic does not exist
     * @throws IllegalStateException when the timeout passes first, naming each partition's position and end
     */
    public static long scan(
            Map<String, Object> clientConfig,
            String topic,
            long fromTimestamp,
            Duration timeout,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist");
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            if (fromTimestamp >= 0) {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(tp -> query.put(tp, fromTimestamp));
                consumer.offsetsForTimes(query)
                        .forEach((tp, found) -> consumer.seek(tp, found == null ? end.get(tp) : found.offset()));
            } else {
                consumer.seekToBeginning(partitions);
            }
            long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
            long read = 0;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (timeout != null && System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("timed out reading " + topic + " at "
                            + partitions.stream()
                                    .map(tp -> tp.partition() + ":" + consumer.position(tp) + "/" + end.get(tp))
                                    .toList());
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        each.accept(r);
                        read++;
                    }
                }
            }
            return read;
        }
    }
}
