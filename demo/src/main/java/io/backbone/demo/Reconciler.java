package io.backbone.demo;

import io.backbone.consumer.TopicReader;
import io.backbone.contract.Mask;
import io.backbone.contract.Masker;
import io.backbone.contract.RuleContext;
import io.backbone.contract.Severity;
import io.backbone.contract.rules.CelEnvironment;
import io.backbone.contract.rules.CelRule;
import io.backbone.dlq.DeadLetter;
import io.backbone.producer.faults.Fault;
import io.backbone.producer.simulation.Ledger;
import io.backbone.producer.simulation.LedgerEntry;
import io.backbone.product.DataProduct;
import io.backbone.product.JoinSpec;
import io.backbone.registry.SchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks, topic by topic, that every event the simulators sent ended where its spoiling says: valid events once in
 * the product, spoiled ones in the DLQ with the right stage and rule, duplicates dropped, and PII masked.
 */
public final class Reconciler {
    private static final Pattern HASH = Pattern.compile("^[0-9a-f]{64}$");
    private static final int MAX_PROBLEMS = 5;

    private final Map<String, Object> clientConfig;
    private final SchemaRegistryClient registry;

    public Reconciler(Map<String, Object> clientConfig, SchemaRegistryClient registry) {
        this.clientConfig = clientConfig;
        this.registry = registry;
    }

    public StreamReport reconcile(DataProduct product, Ledger ledger, double duplicatesMetric) {
        List<String> problems = new ArrayList<>();
        Duration timeout = Duration.ofSeconds(60);
        long rawIn =
                TopicReader.readAll(clientConfig, product.rawTopic(), timeout).size();
        List<ConsumerRecord<byte[], byte[]>> productRecords =
                TopicReader.readAll(clientConfig, product.productTopic(), timeout);
        // the majors of one product share the raw stream's DLQ: each reconciles the dead letters it wrote
        List<ConsumerRecord<byte[], byte[]>> dlqRecords =
                TopicReader.readAll(clientConfig, product.dlqTopic(), timeout).stream()
                        .filter(r -> product.id().equals(DeadLetter.text(r.headers(), DeadLetter.PRODUCT)))
                        .toList();

        List<LedgerEntry> sent = ledger.forTopic(product.rawTopic());
        if (rawIn != sent.size()) {
            problems.add(product.rawTopic() + " holds " + rawIn + " records, the simulators sent " + sent.size());
        }

        AvroDecoder decoder = AvroDecoder.generic(registry);
        Set<String> expectedIds = new HashSet<>(ledger.expectedProductIds(product.rawTopic()));
        Set<String> seen = new HashSet<>();
        long piiChecked = 0;
        Set<String> expectedCorrected = ledger.expectedCorrectedIds(product.rawTopic());
        long corrected = 0;
        // a hashed property that is also corrected: the simulators never change a customer's e-mail or name, so one
        // key must have one pseudonym per such property, however differently the value was written
        Set<String> correctedPaths = new HashSet<>();
        product.input().corrections().forEach(c -> correctedPaths.add(c.property()));
        product.output().corrections().forEach(c -> correctedPaths.add(c.property()));
        List<Mask> canonicalPseudonyms = product.output().masks().stream()
                .filter(m -> m.policy() == io.backbone.contract.MaskingPolicy.HASH
                        && correctedPaths.contains(m.field().path()))
                .toList();
        Map<String, Set<String>> pseudonyms = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : productRecords) {
            GenericRecord value = (GenericRecord) decoder.decode(r.value());
            String id = String.valueOf(value.get("eventId"));
            String where = product.productTopic() + "-" + r.partition() + "@" + r.offset() + ": event " + id;
            boolean wasCorrected = r.headers().lastHeader(DeadLetter.CORRECTED) != null;
            if (wasCorrected) {
                corrected++;
            }
            if (wasCorrected && !expectedCorrected.contains(id)) {
                add(
                        problems,
                        where + " says it was corrected (" + DeadLetter.text(r.headers(), DeadLetter.CORRECTED)
                                + ") but was sent clean");
            } else if (!wasCorrected && expectedCorrected.contains(id)) {
                add(problems, where + " was sent soiled but carries no " + DeadLetter.CORRECTED + " header");
            }
            String key = r.key() == null ? "" : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
            for (Mask m : canonicalPseudonyms) {
                pseudonyms
                        .computeIfAbsent(m.field().path() + " of key " + key, k -> new HashSet<>())
                        .add(String.valueOf(m.field().first(value)));
            }
            if (!seen.add(id)) {
                add(
                        problems,
                        product.productTopic() + "-" + r.partition() + "@" + r.offset() + ": event " + id
                                + " published twice");
            } else if (!expectedIds.contains(id)) {
                add(
                        problems,
                        product.productTopic() + "-" + r.partition() + "@" + r.offset() + ": event " + id
                                + " was spoiled but published");
            }
            for (Mask mask : product.output().masks()) {
                for (Object v : mask.field().values(value)) {
                    piiChecked++;
                    if (!masked(mask, v)) {
                        add(
                                problems,
                                product.productTopic() + "-" + r.partition() + "@" + r.offset() + ": "
                                        + mask.field().path() + " is not masked ("
                                        + mask.policy().code() + ")");
                    }
                }
            }
        }
        pseudonyms.forEach((what, values) -> {
            if (values.size() > 1) {
                add(problems, product.productTopic() + ": " + values.size() + " pseudonyms for " + what);
            }
        });
        long missing = expectedIds.stream().filter(id -> !seen.contains(id)).count();
        if (missing > 0) {
            add(problems, missing + " valid event(s) missing from " + product.productTopic());
        }

        Map<String, Long> byStage = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dlqRecords) {
            String stage = DeadLetter.text(r.headers(), DeadLetter.STAGE);
            byStage.merge(stage == null ? "?" : stage, 1L, Long::sum);
            String where = product.dlqTopic() + "-" + r.partition() + "@" + r.offset();
            String srcTopic = DeadLetter.text(r.headers(), DeadLetter.TOPIC);
            LedgerEntry atOffset = ledger.at(
                    srcTopic,
                    Integer.parseInt(DeadLetter.text(r.headers(), DeadLetter.PARTITION)),
                    Long.parseLong(DeadLetter.text(r.headers(), DeadLetter.OFFSET)));
            // relayed from an outbox: the service never learnt the offset, the event id names the event
            LedgerEntry entry = atOffset != null || DeadLetter.text(r.headers(), "ce_id") == null
                    ? atOffset
                    : ledger.byEventId(srcTopic, DeadLetter.text(r.headers(), "ce_id"));
            if (entry == null) {
                add(problems, where + ": dead letter of an event the simulators did not send");
            } else if (entry.fault().outcome() != Fault.Outcome.DLQ) {
                add(
                        problems,
                        where + ": valid event " + entry.eventId() + " dead-lettered: "
                                + DeadLetter.text(r.headers(), DeadLetter.MESSAGE));
            } else if (!entry.fault().stage().equals(stage)) {
                add(
                        problems,
                        where + ": " + entry.fault().code() + " reported at stage " + stage + ", expected "
                                + entry.fault().stage());
            } else if (entry.expectedRule() != null
                    && DeadLetter.violations(r.headers()).stream()
                            .noneMatch(v -> v.rule().equals(entry.expectedRule())
                                    // a major that nests the field names it by its path there (total.currency)
                                    || v.rule().endsWith("." + entry.expectedRule()))) {
                add(problems, where + ": " + entry.fault().code() + " does not name rule " + entry.expectedRule());
            }
        }
        Map<String, Long> expectedDlq = ledger.expectedDlqByStage(product.rawTopic());
        if (!expectedDlq.equals(byStage)) {
            add(problems, product.dlqTopic() + " by stage " + byStage + ", expected " + expectedDlq);
        }
        long duplicates = rawIn - productRecords.size() - dlqRecords.size();
        long expectedDuplicates = ledger.expectedDuplicates(product.rawTopic());
        if (duplicates != expectedDuplicates) {
            add(
                    problems,
                    duplicates + " record(s) neither published nor dead-lettered, expected " + expectedDuplicates
                            + " duplicates");
        }
        if (duplicatesMetric >= 0 && (long) duplicatesMetric != expectedDuplicates) {
            add(
                    problems,
                    "the backbone counted " + (long) duplicatesMetric + " duplicates, expected " + expectedDuplicates);
        }
        return new StreamReport(
                product.id(),
                product.rawTopic(),
                product.productTopic(),
                product.dlqTopic(),
                rawIn,
                productRecords.size(),
                byStage,
                duplicates,
                corrected,
                expectedIds.size(),
                expectedCorrected.size(),
                expectedDlq,
                expectedDuplicates,
                piiChecked,
                problems);
    }

    /**
     * Recounts a join product from its inputs: every left and right record that passes its side's filter, paired by
     * key within the join window, must end as one product record or one dead letter of that product.
     */
    public JoinReport reconcileJoin(DataProduct product) {
        JoinSpec join = product.join();
        Duration timeout = Duration.ofSeconds(60);
        AvroDecoder decoder = AvroDecoder.generic(registry);
        Map<String, List<Long>> left = sideByKey(join.left(), decoder, timeout);
        Map<String, List<Long>> right = sideByKey(join.right(), decoder, timeout);
        long window = join.window().toMillis();
        Map<String, Long> expected = new HashMap<>();
        left.forEach((key, leftTimes) -> {
            for (long r : right.getOrDefault(key, List.of())) {
                for (long l : leftTimes) {
                    if (Math.abs(l - r) <= window) {
                        expected.merge(key, 1L, Long::sum);
                    }
                }
            }
        });
        Map<String, Long> actual = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> out = TopicReader.readAll(clientConfig, product.productTopic(), timeout);
        List<ConsumerRecord<byte[], byte[]>> dlq = TopicReader.readAll(clientConfig, product.dlqTopic(), timeout);
        for (ConsumerRecord<byte[], byte[]> r : out) {
            actual.merge(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), 1L, Long::sum);
        }
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            actual.merge(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), 1L, Long::sum);
        }
        List<String> problems = new ArrayList<>();
        Set<String> keys = new HashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            long e = expected.getOrDefault(key, 0L);
            long a = actual.getOrDefault(key, 0L);
            if (e != a) {
                add(
                        problems,
                        "key " + key + ": " + e + " matching pair(s) in the inputs, " + a + " record(s) in "
                                + product.productTopic() + " and " + product.dlqTopic());
            }
        }
        long leftIn = left.values().stream().mapToLong(List::size).sum();
        long rightIn = right.values().stream().mapToLong(List::size).sum();
        return new JoinReport(
                product.id(),
                product.productTopic(),
                leftIn,
                rightIn,
                expected.values().stream().mapToLong(Long::longValue).sum(),
                out.size(),
                dlq.size(),
                problems);
    }

    /** Record timestamps per key of the side's records that pass its filter. */
    private Map<String, List<Long>> sideByKey(JoinSpec.Side side, AvroDecoder decoder, Duration timeout) {
        Map<String, List<Long>> byKey = new HashMap<>();
        RuleContext context = new RuleContext(CelEnvironment::view);
        CelRule filter = side.filterProgram() == null
                ? null
                : new CelRule("filter", side.filter(), side.filterProgram(), Severity.ERROR);
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(clientConfig, side.topic(), timeout)) {
            GenericRecord value = (GenericRecord) decoder.decode(r.value());
            if (filter == null || filter.check(value, context.reset(value, System.currentTimeMillis())) == null) {
                byKey.computeIfAbsent(
                                new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(r.timestamp());
            }
        }
        return byKey;
    }

    private static boolean masked(Mask mask, Object v) {
        return switch (mask.policy()) {
            case HASH -> v == null || HASH.matcher(v.toString()).matches();
            case REDACT -> v == null || Masker.REDACTED.equals(v.toString());
            case DROP -> v == null;
            case KEEP -> true;
        };
    }

    private static void add(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        } else if (problems.size() == MAX_PROBLEMS) {
            problems.add("… more problems not shown");
        }
    }

    /** Totals of a metric per product, from {@code BackboneApp#productTotals()}. */
    public static double metric(Map<String, Map<String, Double>> totals, String product, String name) {
        return totals.getOrDefault(product, new HashMap<>()).getOrDefault(name, 0.0);
    }
}
