package io.backbone.topology.dedup;

import io.backbone.product.DataProduct;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@link ProductHistory#kafka()}: the product topic's records since a time, read with a {@code read_committed}
 * consumer with the application's client settings, from the partition that holds the task's keys (the same partition
 * number when the product has as many partitions as its source; otherwise all of them).
 */
final class KafkaProductHistory {
    private static final List<String> CLIENT_PREFIXES =
            List.of("bootstrap.servers", "security.", "sasl.", "ssl.", "client.dns.lookup");

    private KafkaProductHistory() {}

    static void read(
            Map<String, Object> appConfigs,
            DataProduct product,
            int taskPartition,
            long sinceMillis,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> config = new HashMap<>();
        appConfigs.forEach((k, v) -> {
            if (CLIENT_PREFIXES.stream().anyMatch(k::startsWith)) {
                config.put(k, v);
            }
        });
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, product.id() + "-dedup-restore-" + taskPartition);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            String topic = product.productTopic();
            int productPartitions = consumer.partitionsFor(topic).size();
            int sourcePartitions =
                    consumer.partitionsFor(product.sourceTopics().get(0)).size();
            List<TopicPartition> partitions = new ArrayList<>();
            if (productPartitions == sourcePartitions) {
                partitions.add(new TopicPartition(topic, taskPartition));
            } else {
                for (int p = 0; p < productPartitions; p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> since = new HashMap<>();
            partitions.forEach(tp -> since.put(tp, sinceMillis));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(since);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp start = starts.get(tp);
                consumer.seek(tp, start == null ? ends.get(tp) : start.offset());
            }
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }
}
