package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backbone.kafka.ClientSettings;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.orders.v1.OrderLine;
import io.backbone.platform.LocalPlatform;
import io.backbone.producer.orders.OrdersService;
import io.backbone.product.ProductCatalog;
import io.backbone.provisioning.Provisioner;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.topology.BackboneApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confluent's own JavaScript serializer ({@code @confluentinc/schemaregistry}, its CEL executor registered, the
 * subject's latest version in use), run with Node.js against the backbone's registry after {@code provision}: it
 * refuses an order that breaks an exported rule of the raw contract, naming the rule, and accepts a valid one, which the
 * backbone then publishes. Node and npm come from the machine ({@code .ci/run} installs them); the client from npm.
 */
class ConfluentSerializerIT {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The JavaScript client installed under target/ (once per build). */
    static Path client() throws Exception {
        Path dir = Path.of("target/js-client");
        Files.createDirectories(dir);
        for (String f : List.of("package.json", "serialize.mjs", "calls.mjs")) {
            Files.copy(Path.of("src/test/js", f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(dir.resolve("node_modules/@confluentinc/schemaregistry"))) {
            run(dir, Duration.ofMinutes(5), "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
        }
        return dir;
    }

    static String run(Path dir, Duration timeout, String... command) throws Exception {
        Path out = Files.createTempFile("backbone-node", ".out");
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(false)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        boolean done = p.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        String text = Files.readString(out);
        Files.deleteIfExists(out);
        assertThat(done)
                .as(String.join(" ", command) + " finished within " + timeout)
                .isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + text).isZero();
        return text;
    }

    /** {@code value} as the JavaScript Avro library takes it: records as objects, enums as symbols, times in ms. */
    static Object js(Object value) {
        if (value instanceof GenericRecord r) {
            Map<String, Object> out = new LinkedHashMap<>();
            r.getSchema().getFields().forEach(f -> out.put(f.name(), js(r.get(f.pos()))));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConfluentSerializerIT::js).toList();
        }
        if (value instanceof Instant t) {
            return t.toEpochMilli();
        }
        if (value instanceof CharSequence
                || value instanceof Enum<?>
                || value instanceof org.apache.avro.generic.GenericEnumSymbol<?>) {
            return value.toString();
        }
        return value;
    }

    @Test
    void confluentsSerializerRefusesWhatBreaksTheExportedContractAndTheBackbonePublishesWhatItAccepts(
            @TempDir Path state) throws Exception {
        Path client = client();
        ProductCatalog catalog = ProductCatalog.shipped();
        try (LocalPlatform platform = LocalPlatform.start(0)) {
            ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig());
            try (Admin admin = settings.admin()) {
                new Provisioner(admin, registry, 1).provision(catalog.products());
            }
            Random rnd = new Random(3);
            OrderEvent valid = OrdersService.place("ord-00000001", "cus-000001", rnd, Instant.now());
            OrderEvent negative = OrderEvent.newBuilder(valid)
                    .setEventId(java.util.UUID.randomUUID().toString())
                    .setTotalAmountMinor(-100)
                    .build();
            List<OrderLine> lines = new ArrayList<>(valid.getLines());
            lines.set(0, OrderLine.newBuilder(lines.get(0)).setSku("tee 1").build());
            OrderEvent badSku = OrderEvent.newBuilder(valid)
                    .setEventId(java.util.UUID.randomUUID().toString())
                    .setLines(lines)
                    .build();
            OrderEvent yen = OrderEvent.newBuilder(valid)
                    .setEventId(java.util.UUID.randomUUID().toString())
                    .setCurrency("JPY")
                    .build();
            OrderEvent untidy = OrderEvent.newBuilder(valid)
                    .setEventId(java.util.UUID.randomUUID().toString())
                    .setCurrency(" gbp ")
                    .build();
            List<Map<String, Object>> cases = List.of(
                    Map.of("name", "valid", "record", js(valid)),
                    Map.of("name", "negative-total", "record", js(negative)),
                    Map.of("name", "bad-sku", "record", js(badSku)),
                    Map.of("name", "currency-not-allowed", "record", js(yen)),
                    Map.of("name", "untidy-currency", "record", js(untidy)));
            Path file = state.resolve("cases.json");
            Files.writeString(file, JSON.writeValueAsString(cases));

            String out = run(
                    client,
                    Duration.ofMinutes(2),
                    "node",
                    "serialize.mjs",
                    platform.schemaRegistryUrl(),
                    OrdersService.TOPIC,
                    file.toAbsolutePath().toString());

            Map<String, JsonNode> verdicts = new LinkedHashMap<>();
            JSON.readTree(out).forEach(v -> verdicts.put(v.path("name").asText(), v));
            assertThat(verdicts.get("valid").path("accepted").asBoolean())
                    .as(verdicts.get("valid").toString())
                    .isTrue();
            assertThat(verdicts.get("negative-total").path("accepted").asBoolean())
                    .isFalse();
            assertThat(verdicts.get("negative-total").path("error").asText()).contains("totalAmountMinor.minimum");
            assertThat(verdicts.get("bad-sku").path("accepted").asBoolean()).isFalse();
            assertThat(verdicts.get("bad-sku").path("error").asText()).contains("lines[].sku.pattern");
            assertThat(verdicts.get("currency-not-allowed").path("accepted").asBoolean())
                    .isFalse();
            assertThat(verdicts.get("currency-not-allowed").path("error").asText())
                    .contains("contract orders.raw.order-events 1.1.0, rule currency.invalidValues");
            // a currency the backbone would correct passes the serializer, which checks it corrected in CEL
            assertThat(verdicts.get("untidy-currency").path("accepted").asBoolean())
                    .as(verdicts.get("untidy-currency").toString())
                    .isTrue();

            // what the JavaScript serializer wrote is published by the backbone (the untidy currency corrected)
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(settings.kafkaConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (String accepted : List.of("valid", "untidy-currency")) {
                    byte[] bytes = Base64.getDecoder()
                            .decode(verdicts.get(accepted).path("bytes").asText());
                    producer.send(new ProducerRecord<>(
                                    OrdersService.TOPIC, valid.getOrderId().getBytes(StandardCharsets.UTF_8), bytes))
                            .get();
                }
            }
            try (BackboneApp app = Backbone.start(
                    settings,
                    catalog,
                    "js-serializer-it",
                    state.toString(),
                    "js-serializer-it-secret-0123",
                    Map.of())) {
                ItSupport.awaitCommitted(settings, catalog, "js-serializer-it", Duration.ofMinutes(2));
            }
            AvroDecoder decoder = AvroDecoder.generic(registry);
            assertThat(ItSupport.read(settings, "orders.product.orders.v2"))
                    .extracting(r -> {
                        GenericRecord order = (GenericRecord) decoder.decode(r.value());
                        return order.get("eventId") + " " + ((GenericRecord) order.get("total")).get("currency");
                    })
                    .containsExactly(valid.getEventId() + " " + valid.getCurrency(), untidy.getEventId() + " GBP");
        }
    }

    /**
     * The same records through Confluent's serializer and through the backbone's compiled raw contracts: the simulators'
     * events and faults, and for every exported rule a record made to break it. A record the serializer accepts
     * passes every exported rule in the backbone; one it refuses names the first exported rule the backbone finds
     * broken; every exported rule is met by a record that passes it and one that breaks it.
     */
    @Test
    void confluentsExecutorAndTheBackboneGiveTheSameVerdictOnEveryExportedRule(@TempDir Path dir) throws Exception {
        Path client = client();
        ProductCatalog catalog = ProductCatalog.shipped();
        io.backbone.contract.RuleContext context =
                new io.backbone.contract.RuleContext(io.backbone.contract.rules.CelEnvironment::view);
        long now = Instant.now().toEpochMilli();
        try (LocalPlatform platform = LocalPlatform.start(0)) {
            ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
            try (Admin admin = settings.admin()) {
                new Provisioner(admin, new RestSchemaRegistryClient(settings.clientConfig()), 1)
                        .provision(catalog.products());
            }
            int compared = 0;
            for (Map.Entry<String, List<org.apache.avro.specific.SpecificRecord>> stream :
                    io.backbone.producer.simulation.RuleCorpus.corpus(Instant.now())
                            .entrySet()) {
                io.backbone.contract.CompiledContract contract =
                        catalog.contracts().get(stream.getKey());
                JsonNode exported = io.backbone.contract.export.ConfluentContract.of(contract)
                        .ruleSet()
                        .path("domainRules");
                List<io.backbone.contract.RecordRule> rules = new ArrayList<>();
                exported.forEach(r -> rules.add(contract.rules().stream()
                        .filter(x -> x.name().equals(r.path("name").asText()))
                        .findFirst()
                        .orElseThrow()));
                List<GenericRecord> records =
                        io.backbone.producer.simulation.RuleCorpus.withBreakingRecords(stream.getValue(), rules);
                List<Map<String, Object>> cases = new ArrayList<>();
                for (int i = 0; i < records.size(); i++) {
                    cases.add(Map.of("name", String.valueOf(i), "record", js(records.get(i))));
                }
                Path file = dir.resolve(stream.getKey() + ".json");
                Files.writeString(file, JSON.writeValueAsString(cases));
                JsonNode verdicts = JSON.readTree(run(
                        client,
                        Duration.ofMinutes(3),
                        "node",
                        "serialize.mjs",
                        platform.schemaRegistryUrl(),
                        stream.getKey(),
                        file.toAbsolutePath().toString()));
                Map<String, int[]> seen = new LinkedHashMap<>();
                rules.forEach(r -> seen.put(r.name(), new int[2]));
                for (JsonNode v : verdicts) {
                    GenericRecord record = records.get(v.path("name").asInt());
                    String firstBroken = null;
                    // the backbone checks the record as its contract corrects it
                    GenericRecord checked = io.backbone.producer.simulation.RuleCorpus.corrected(contract, record);
                    for (io.backbone.contract.RecordRule rule : rules) {
                        boolean passes = rule.check(checked, context.reset(checked, now)) == null;
                        seen.get(rule.name())[passes ? 0 : 1]++;
                        if (!passes && firstBroken == null) {
                            firstBroken = rule.name();
                        }
                    }
                    String error = v.path("error").asText("");
                    if (!v.path("accepted").asBoolean() && !error.startsWith("RuleConditionError")) {
                        // not a rule's verdict: a value the Avro schema itself cannot hold (a null where none is
                        // allowed), refused by the serializer before any rule, and by the backbone at decoding
                        assertThat(org.apache.avro.generic.GenericData.get().validate(record.getSchema(), record))
                                .as("%s: %s refused by the serializer for no rule: %s", stream.getKey(), record, error)
                                .isFalse();
                        continue;
                    }
                    if (firstBroken == null) {
                        assertThat(v.path("accepted").asBoolean())
                                .as(
                                        "%s: %s refused but passes every rule in the backbone: %s",
                                        stream.getKey(), record, error)
                                .isTrue();
                    } else {
                        assertThat(error)
                                .as("%s: %s breaks %s in the backbone", stream.getKey(), record, firstBroken)
                                .contains("rule " + firstBroken);
                    }
                    compared++;
                }
                assertThat(verdicts)
                        .as(stream.getKey() + ": records Confluent's serializer accepted")
                        .anySatisfy(
                                v -> assertThat(v.path("accepted").asBoolean()).isTrue());
                seen.forEach((rule, counts) -> {
                    assertThat(counts[0])
                            .as(stream.getKey() + " " + rule + ": records that pass")
                            .isPositive();
                    assertThat(counts[1])
                            .as(stream.getKey() + " " + rule + ": records that break it")
                            .isPositive();
                });
            }
            assertThat(compared).isGreaterThan(100);
        }
    }

    /**
     * Confluent's JavaScript client, call by call against the registry: a schema registered with metadata and a rule
     * set reads back unchanged by id, version and latest; lookups, versions, latest-with-metadata, compatibility and
     * config behave as Confluent documents them; soft and permanent deletes with their refusals.
     */
    @Test
    void confluentsJavaScriptClientGetsWhatConfluentDocumentsCallByCall() throws Exception {
        Path client = client();
        try (LocalPlatform platform = LocalPlatform.start(0)) {
            JsonNode out = JSON.readTree(run(
                    client,
                    Duration.ofMinutes(2),
                    "node",
                    "calls.mjs",
                    platform.schemaRegistryUrl(),
                    "js-calls-value"));

            JsonNode metadata = JSON.readTree("{\"properties\":{\"owner\":\"orders\",\"app.version\":\"1\"}}");
            for (String read : List.of("byId", "latest", "byVersion", "latestWithMetadata")) {
                assertThat(out.path(read).path("metadata")).as(read).isEqualTo(metadata);
                assertThat(out.path(read)
                                .path("ruleSet")
                                .path("domainRules")
                                .get(0)
                                .path("expr")
                                .asText())
                        .as(read)
                        .isEqualTo("message.amount >= 0");
            }
            assertThat(out.path("lookup").asInt())
                    .isEqualTo(out.path("register").asInt());
            assertThat(out.path("byId2")
                            .path("ruleSet")
                            .path("domainRules")
                            .get(0)
                            .path("name")
                            .asText())
                    .as("a version registered without rules inherits the previous one's")
                    .isEqualTo("amount-not-negative");
            assertThat(out.path("versions").toString()).isEqualTo("[1,2]");
            assertThat(out.path("latestWithMetadata").path("version").asInt()).isEqualTo(1);
            assertThat(out.path("compatible").asBoolean()).isTrue();
            assertThat(out.path("config").path("compatibilityLevel").asText()).isEqualTo("FULL");
            assertThat(out.path("config")
                            .path("defaultMetadata")
                            .path("properties")
                            .path("domain")
                            .asText())
                    .isEqualTo("orders");
            assertThat(out.path("deleteVersion").asInt()).isEqualTo(1);
            assertThat(out.path("versionsAfterDelete").toString()).isEqualTo("[2]");
            assertThat(out.path("permanentBeforeSoft").path("code").asInt()).isEqualTo(40405);
            assertThat(out.path("deleteSubject").toString()).isEqualTo("[2]");
            assertThat(out.path("deletePermanently").toString()).isEqualTo("[1,2]");
            assertThat(out.path("subjects").toString()).isEqualTo("[]");
            assertThat(out.path("gone").path("code").asInt()).isEqualTo(40401);
        }
    }
}
