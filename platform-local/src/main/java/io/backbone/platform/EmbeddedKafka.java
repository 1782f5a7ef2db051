package io.backbone.platform;

import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real Apache Kafka broker in KRaft mode (one combined broker+controller) running in this JVM. */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats fresh log directories, starts the node and waits until the broker accepts clients. */
    public static EmbeddedKafka start() {
        long started = System.nanoTime();
        try {
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build());
            Map.<String, Object>of(
                            "auto.create.topics.enable", "false",
                            "num.partitions", "4",
                            "offsets.topic.replication.factor", "1",
                            "offsets.topic.num.partitions", "4",
                            "transaction.state.log.replication.factor", "1",
                            "transaction.state.log.min.isr", "1",
                            "transaction.state.log.num.partitions", "4",
                            "group.initial.rebalance.delay.ms", "0",
                            "log.flush.interval.messages", String.valueOf(Long.MAX_VALUE))
                    .forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            EmbeddedKafka kafka = new EmbeddedKafka(cluster);
            LOG.info("Embedded Kafka (KRaft) ready at {} in {} ms", kafka.bootstrapServers(), (System.nanoTime() - started) / 1_000_000);
            return kafka;
        } catch (Exception e) {
            throw new IllegalStateException("the embedded Kafka broker did not start: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Stops the broker and deletes its log directories. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            LOG.warn("Embedded Kafka did not shut down cleanly: {}", e.getMessage());
        }
    }
}
