package io.backbone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backbone.kafka.ClientSettings;
import io.backbone.registry.RegisteredSchema;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroEncoder;
import io.backbone.serde.AvroSerdeConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Sends hand-written JSON lines as Confluent-framed Avro, like kafka-avro-console-producer. */
@Command(
        name = "produce-json",
        description = "Read JSON lines (stdin or --file), encode each with the topic's latest registered schema (or "
                + "--schema-id) in Confluent's wire format, and send it. Unions may be plain JSON or Avro JSON "
                + "({\"string\": \"x\"}); timestamps epoch ms or ISO-8601. With --property parse.key=true a line is "
                + "KEY<key.separator>JSON; with parse.headers=true it starts with h1:v1,h2:v2<headers.delimiter>.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every line sent", "1:a line did not fit the schema or could not be sent", "2:bad flag"})
final class ProduceJsonCommand implements Callable<Integer> {
    private static final Map<String, String> DEFAULTS = Map.of(
            "parse.key", "false",
            "key.separator", "\t",
            "parse.headers", "false",
            "headers.delimiter", "\t",
            "headers.separator", ",",
            "headers.key.separator", ":");

    @Mixin
    ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Option(names = "--file", paramLabel = "FILE", description = "Read lines from FILE instead of stdin ('-').")
    String file = "-";

    @Option(
            names = "--schema-id",
            paramLabel = "ID",
            description = "Encode with this registered schema instead of the subject's latest.")
    Integer schemaId;

    @Option(names = "--key", paramLabel = "KEY", description = "Key of every record (unless parse.key=true).")
    String key;

    @Option(
            names = "--property",
            paramLabel = "NAME=VALUE",
            description = "parse.key, key.separator, parse.headers, headers.delimiter, headers.separator, "
                    + "headers.key.separator, as the Kafka console producer takes them.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Map<String, String> props = new HashMap<>(DEFAULTS);
        for (var e : properties.entrySet()) {
            if (!DEFAULTS.containsKey(e.getKey())) {
                throw new UsageException("--property " + e.getKey() + ": unknown; choose from "
                        + new java.util.TreeSet<>(DEFAULTS.keySet()));
            }
            props.put(e.getKey(), e.getValue());
        }
        boolean parseKey = Boolean.parseBoolean(props.get("parse.key"));
        boolean parseHeaders = Boolean.parseBoolean(props.get("parse.headers"));
        cluster.connect(true);
        ClientSettings settings = cluster.settings();
        Schema schema;
        int id;
        try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig())) {
            if (schemaId != null) {
                id = schemaId;
                schema = registry.schemaById(id);
            } else {
                RegisteredSchema latest = registry.latest(AvroSerdeConfig.valueSubject(topic));
                id = latest.id();
                schema = latest.schema();
            }
        }
        System.err.println(
                "produce-json: encoding with schema id " + id + " (" + schema.getFullName() + ") for " + topic);
        Map<String, Object> config = settings.kafkaConfig();
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        ObjectMapper json = new ObjectMapper();
        AvroEncoder encoder = new AvroEncoder();
        int sent = 0;
        int failed = 0;
        try (BufferedReader in = reader();
                KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String where = (file.equals("-") ? "stdin" : file) + ":" + number;
                try {
                    RecordHeaders headers = new RecordHeaders();
                    String rest = line;
                    if (parseHeaders) {
                        int at = rest.indexOf(props.get("headers.delimiter"));
                        if (at < 0) {
                            throw new IllegalArgumentException("no headers.delimiter in the line (parse.headers=true)");
                        }
                        for (String pair : rest.substring(0, at)
                                .split(java.util.regex.Pattern.quote(props.get("headers.separator")))) {
                            String[] kv =
                                    pair.split(java.util.regex.Pattern.quote(props.get("headers.key.separator")), 2);
                            headers.add(kv[0], kv.length < 2 ? null : kv[1].getBytes(StandardCharsets.UTF_8));
                        }
                        rest = rest.substring(
                                at + props.get("headers.delimiter").length());
                    }
                    String recordKey = key;
                    if (parseKey) {
                        int at = rest.indexOf(props.get("key.separator"));
                        if (at < 0) {
                            throw new IllegalArgumentException("no key.separator in the line (parse.key=true)");
                        }
                        recordKey = rest.substring(0, at);
                        rest = rest.substring(at + props.get("key.separator").length());
                    }
                    JsonNode node;
                    try {
                        node = json.readTree(rest);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
                    }
                    byte[] value = encoder.encode(id, schema, JsonToAvro.convert(node, schema));
                    RecordMetadata m = producer.send(new ProducerRecord<>(topic, null, recordKey, value, headers))
                            .get();
                    System.out.println(where + " → " + m.topic() + "-" + m.partition() + "@" + m.offset());
                    sent++;
                } catch (IllegalArgumentException e) {
                    System.err.println(where + ": " + e.getMessage() + " (not sent)");
                    failed++;
                } catch (ExecutionException e) {
                    System.err.println(where + ": not sent: " + e.getCause().getMessage());
                    failed++;
                }
            }
        }
        System.err.println("produce-json: " + sent + " sent, " + failed + " not sent");
        return failed == 0 ? 0 : 1;
    }

    private BufferedReader reader() throws IOException {
        if (file.equals("-")) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new UsageException("--file " + file + ": no such file");
        }
        return Files.newBufferedReader(path);
    }
}
