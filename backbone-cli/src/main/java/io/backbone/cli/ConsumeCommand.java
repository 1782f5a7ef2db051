package io.backbone.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.serde.PoisonPillException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints a topic's Avro records as JSON lines, like kafka-avro-console-consumer. */
@Command(
        name = "consume",
        description =
                "Print a topic's records as JSON lines (Avro decoded via the registry; undecodable values shown as base64).")
final class ConsumeCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of the newest.")
    boolean fromBeginning;

    @Option(
            names = "--max-messages",
            defaultValue = "-1",
            description = "Stop after this many records (default: run until Ctrl-C).")
    long maxMessages;

    @Option(names = "--print-headers", description = "Wrap each line as {partition, offset, key, headers, value}.")
    boolean printHeaders;

    @Option(names = "--group", description = "Consumer group (default: none, offsets are not committed).")
    String group;

    @Option(names = "--partition", paramLabel = "N", description = "Read only this partition.")
    Integer partition;

    @Option(
            names = "--offset",
            paramLabel = "OFFSET",
            description = "Where to start: earliest, latest, or an offset number (needs --partition).")
    String offset;

    @Option(names = "--print-key", description = "Print the key before the value, tab-separated.")
    boolean printKey;

    @Option(
            names = "--print-timestamp",
            description = "Print the timestamp (CreateTime:ms or LogAppendTime:ms) first, tab-separated.")
    boolean printTimestamp;

    @Option(
            names = "--timeout-ms",
            defaultValue = "-1",
            description = "Stop when no record arrives for this long (default: never).")
    long timeoutMs;

    @Override
    public Integer call() throws Exception {
        Long startOffset = startOffset();
        if (group != null && (partition != null || offset != null)) {
            throw new UsageException("--group subscribes to every partition from the group's offsets; leave out "
                    + "--partition and --offset, or --group");
        }
        cluster.connect(false);
        Map<String, Object> config = new HashMap<>(cluster.settings().clientConfig());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        } else {
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        }
        ObjectMapper json = new ObjectMapper();
        AvroDecoder decoder = AvroDecoder.generic(new RestSchemaRegistryClient(config));
        long printed = 0;
        long idleSince = System.nanoTime();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos.isEmpty()) {
                throw new UsageException("topic " + topic + " does not exist");
            }
            if (group != null) {
                consumer.subscribe(List.of(topic));
            } else {
                if (partition != null && infos.stream().noneMatch(p -> p.partition() == partition)) {
                    throw new UsageException(
                            "--partition " + partition + ": " + topic + " has partitions 0.." + (infos.size() - 1));
                }
                var partitions = infos.stream()
                        .filter(p -> partition == null || p.partition() == partition)
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
                consumer.assign(partitions);
                boolean earliest = offset == null ? fromBeginning : "earliest".equals(offset);
                if (startOffset != null) {
                    consumer.seek(partitions.get(0), startOffset);
                } else if (earliest) {
                    consumer.seekToBeginning(partitions);
                } else {
                    consumer.seekToEnd(partitions);
                }
            }
            while (maxMessages < 0 || printed < maxMessages) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty() && timeoutMs >= 0 && System.nanoTime() - idleSince > timeoutMs * 1_000_000) {
                    break;
                }
                for (ConsumerRecord<String, byte[]> r : records) {
                    idleSince = System.nanoTime();
                    String value = render(decoder, r.value());
                    if (printHeaders) {
                        ObjectNode line = json.createObjectNode();
                        line.put("partition", r.partition())
                                .put("offset", r.offset())
                                .put("timestamp", r.timestamp())
                                .put("key", r.key());
                        ObjectNode headers = line.putObject("headers");
                        for (Header h : r.headers()) {
                            headers.put(
                                    h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
                        }
                        line.set("value", value == null ? null : json.readTree(value));
                        System.out.println(json.writeValueAsString(line));
                    } else {
                        StringBuilder out = new StringBuilder();
                        if (printTimestamp) {
                            out.append(
                                            r.timestampType() == TimestampType.NO_TIMESTAMP_TYPE
                                                    ? "NoTimestampType"
                                                    : r.timestampType().name + ":" + r.timestamp())
                                    .append('\t');
                        }
                        if (printKey) {
                            out.append(r.key()).append('\t');
                        }
                        System.out.println(out.append(value));
                    }
                    if (maxMessages >= 0 && ++printed >= maxMessages) {
                        break;
                    }
                }
            }
        }
        return 0;
    }

    /** The offset number given with {@code --offset}, or null for earliest, latest or none. */
    private Long startOffset() {
        if (offset == null || offset.equals("earliest") || offset.equals("latest")) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(offset);
        } catch (NumberFormatException e) {
            throw new UsageException("--offset " + offset + ": give earliest, latest or an offset number");
        }
        if (n < 0) {
            throw new UsageException("--offset " + offset + ": an offset is >= 0");
        }
        if (partition == null) {
            throw new UsageException("--offset " + offset + " needs --partition: an offset number is per partition");
        }
        return n;
    }

    private static String render(AvroDecoder decoder, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return decoder.decode(value).toString();
        } catch (PoisonPillException e) {
            return "{\"undecodable\": \"" + e.kind().code() + "\", \"base64\": \""
                    + Base64.getEncoder().encodeToString(value) + "\"}";
        }
    }
}
