package io.backbone.topology.internals;

import io.backbone.product.DataProduct;
import io.backbone.serde.AvroDecoder;
import io.backbone.serde.PoisonPillException;
import io.backbone.topology.ProductHistory;
import io.backbone.topology.ProductMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a task's seen-ids from its product topic: the committed records of the last window, read from the
 * partition that holds this task's keys (the same partition number when the product has as many partitions as its
 * source; otherwise all of them). A record the backbone did not write is skipped, counted and reported, never fatal.
 */
public final class ProductTopicRestore {
    private static final Logger LOG = LoggerFactory.getLogger(ProductTopicRestore.class);
    private static final List<String> CLIENT_PREFIXES =
            List.of("bootstrap.servers", "security.", "sasl.", "ssl.", "client.dns.lookup");

    private ProductTopicRestore() {}

    static SeenIds restore(
            ProductHistory history,
            Map<String, Object> appConfigs,
            DataProduct product,
            AvroDecoder decoder,
            ProductMetrics metrics,
            int taskPartition,
            long nowMillis) {
        long window = product.output().dedupWindow().toMillis();
        SeenIds seen = new SeenIds(window);
        long started = System.nanoTime();
        long[] skipped = {0};
        history.read(appConfigs, product, taskPartition, nowMillis - window, r -> {
            GenericRecord value;
            try {
                value = (GenericRecord) decoder.decode(r.value());
            } catch (PoisonPillException e) {
                skipped[0]++;
                metrics.foreign();
                ForeignRecords.skipped(
                        product.id(),
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        e.kind().code() + ": " + e.getMessage());
                return;
            }
            Object id = product.output().dedupField().first(value);
            if (id != null) {
                seen.add(SeenIds.hash(id instanceof CharSequence text ? text : id.toString()), r.timestamp());
            }
        });
        LOG.info(
                "Product {} partition {}: restored {} event ids of the last {} from {} in {} ms{}",
                product.id(),
                taskPartition,
                seen.size(),
                product.output().dedupWindow(),
                product.productTopic(),
                (System.nanoTime() - started) / 1_000_000,
                skipped[0] == 0 ? "" : " (" + skipped[0] + " records the backbone did not write skipped)");
        return seen;
    }

    /** {@link ProductHistory#kafka()}: a {@code read_committed} consumer with the application's client settings. */
    public static void readFromKafka(
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
