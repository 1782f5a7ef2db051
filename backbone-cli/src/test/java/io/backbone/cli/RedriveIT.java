package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.catalog.CatalogFixtures;
import io.backbone.catalog.CatalogSource;
import io.backbone.dlq.DeadLetter;
import io.backbone.kafka.ClientSettings;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.platform.TestPlatform;
import io.backbone.producer.orders.OrdersService;
import io.backbone.producer.publish.EventPublisher;
import io.backbone.product.PlatformTopics;
import io.backbone.product.ProductCatalog;
import io.backbone.topology.BackboneApp;
import io.backbone.topology.BackboneConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A redrive after a contract fix, as an operator runs it: orders in a currency the contract did not list yet are
 * dead-lettered; the contract is fixed and the backbone restarted; {@code backbone dlq redrive} (its own process)
 * sends the dead letters back. Every fixed event reaches the product exactly once, the ones that are still invalid
 * come back and are parked on the next redrive, a repeated redrive sends nothing twice, and poison pills are refused.
 * Checked from committed reads of the raw, product, DLQ and parked topics.
 */
class RedriveIT {
    static final String SECRET = "integration-test-secret-0123456789";
    static final String APP = "redrive-it";
    static final String DLQ = "orders.dlq.order-events";
    static final String PRODUCT = "orders.product.orders.v1";

    @Test
    void aRedriveAfterAContractFixMovesTheDeadLettersIntoTheProductOnceAndParksALoopingRecord(@TempDir Path dir)
            throws Exception {
        TestPlatform platform = TestPlatform.get();
        ClientSettings settings = ClientSettings.of(platform.bootstrapServers(), platform.schemaRegistryUrl());
        Path before = dir.resolve("catalog-before");
        CatalogFixtures.copyShipped(Path.of("../schemas"), before);
        ProductCatalog catalog = ItSupport.provisioned(settings, before);

        // the shop starts selling in CZK before the contract lists it; a buggy client sends XYZ; three poison pills
        Set<String> czk = new HashSet<>();
        Set<String> xyz = new HashSet<>();
        Set<String> valid = new HashSet<>();
        Random rnd = new Random(12);
        Instant now = Instant.now();
        try (EventPublisher publisher = new EventPublisher(settings, OrdersService.SOURCE)) {
            for (int i = 0; i < 120; i++) {
                OrderEvent order = OrdersService.place(String.format("ord-rd-%04d", i), "cus-000042", rnd, now);
                String currency = i % 6 == 0 ? "CZK" : i % 20 == 1 ? "XYZ" : null;
                if (currency != null) {
                    order = OrderEvent.newBuilder(order).setCurrency(currency).build();
                }
                String id = order.getEventId().toString();
                (currency == null ? valid : currency.equals("CZK") ? czk : xyz).add(id);
                publisher.publish(OrdersService.TOPIC, order.getOrderId().toString(), order, id, "order.placed", now);
            }
            for (int i = 0; i < 3; i++) {
                publisher.send(
                        OrdersService.TOPIC,
                        "ord-pill-" + i,
                        "not avro".getBytes(StandardCharsets.UTF_8),
                        new RecordHeaders());
            }
            publisher.flush();
        }
        assertThat(czk).hasSize(20);
        assertThat(xyz).hasSize(6);

        try (BackboneApp app = start(settings, catalog, dir.resolve("state-1"))) {
            ItSupport.awaitCommitted(settings, Set.of(OrdersService.TOPIC), APP, Duration.ofMinutes(2));
        }
        List<ConsumerRecord<byte[], byte[]>> deadBefore = ItSupport.read(settings, DLQ);
        assertThat(ids(deadBefore)).containsAll(czk).containsAll(xyz);
        assertThat(deadBefore).hasSize(czk.size() + xyz.size() + 3);

        Result stats = backbone(dir, settings, "dlq", "stats", DLQ);
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("currency.invalidValues", "26", "deserialize", "not-framed");

        // a record with the backbone's provenance headers, written into the DLQ by hand, naming a product topic as its
        // source: redrive never writes there, whatever the headers say
        byte[] forgedValue = deadBefore.get(0).value();
        try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> forger =
                new org.apache.kafka.clients.producer.KafkaProducer<>(
                        settings.kafkaConfig(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(DeadLetter.FORMAT, "1".getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetter.TOPIC, PRODUCT.getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetter.STAGE, "quality".getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetter.RULE, "currency.invalidValues".getBytes(StandardCharsets.UTF_8));
            forger.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                            DLQ, null, "ord-forged".getBytes(StandardCharsets.UTF_8), forgedValue, headers))
                    .get();
        }

        Result dry = backbone(dir, settings, "dlq", "redrive", DLQ, "--dry-run");
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out())
                .containsPattern("refused: source is not a feed of " + DLQ + "\\s*\\|\\s*-\\s*\\|\\s*1")
                .contains("its source " + PRODUCT + " is not a raw topic that feeds " + DLQ);
        assertThat(dry.out()).containsPattern("would redrive\\s*\\|\\s*orders.raw.order-events\\s*\\|\\s*26");
        assertThat(dry.out()).containsPattern("refused: poison pill\\s*\\|\\s*-\\s*\\|\\s*3");
        assertThat(ItSupport.read(settings, OrdersService.TOPIC))
                .as("a dry run sends nothing")
                .hasSize(123);

        // the contract fix: CZK is a valid currency (in the raw contract and the product's majors); the backbone
        // restarts with it
        Path after = dir.resolve("catalog-after");
        CatalogFixtures.copyShipped(Path.of("../schemas"), after);
        for (String file : List.of("order-events.odcs.yaml", "orders.odcs.yaml", "orders-v2.odcs.yaml")) {
            Path contract = after.resolve("domains/orders/" + file);
            String yaml = Files.readString(contract);
            assertThat(yaml).as(file).contains("validValues: [EUR, USD, GBP, CHF, PLN, SEK, DKK, NOK]");
            Files.writeString(contract, yaml.replace("NOK]", "NOK, CZK]"));
        }
        ProductCatalog fixed = ProductCatalog.load(CatalogSource.directory(after));

        try (BackboneApp app = start(settings, fixed, dir.resolve("state-2"))) {
            Result first = backbone(
                    dir, settings, "dlq", "redrive", DLQ, "--rule", "currency.invalidValues", "--max-attempts", "1");
            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.out()).containsPattern("redriven\\s*\\|\\s*orders.raw.order-events\\s*\\|\\s*26");
            ItSupport.awaitCommitted(settings, Set.of(OrdersService.TOPIC), APP, Duration.ofMinutes(2));

            // the XYZ orders failed again; the next redrive parks them, and sends nothing twice
            Result second = backbone(
                    dir, settings, "dlq", "redrive", DLQ, "--rule", "currency.invalidValues", "--max-attempts", "1");
            assertThat(second.exit()).as(second.err()).isZero();
            assertThat(second.out())
                    .containsPattern("parked\\s*\\|\\s*orders.dlq.order-events.parked\\s*\\|\\s*6")
                    .containsPattern("already redriven\\s*\\|\\s*-\\s*\\|\\s*26")
                    .doesNotContainPattern("redriven\\s*\\|\\s*orders.raw");
            Result third = backbone(
                    dir, settings, "dlq", "redrive", DLQ, "--rule", "currency.invalidValues", "--max-attempts", "1");
            assertThat(third.out())
                    .containsPattern("already redriven\\s*\\|\\s*-\\s*\\|\\s*32")
                    .containsPattern("parked\\s*\\|\\s*orders.dlq.order-events.parked\\s*\\|\\s*0");
            ItSupport.awaitCommitted(settings, Set.of(OrdersService.TOPIC), APP, Duration.ofMinutes(2));
        }

        // raw: each dead letter was sent back exactly once, naming where it came from
        Map<String, Long> redrivenFrom = ItSupport.read(settings, OrdersService.TOPIC).stream()
                .map(r -> DeadLetter.text(r.headers(), DeadLetter.REDRIVE_FROM))
                .filter(java.util.Objects::nonNull)
                .collect(Collectors.groupingBy(f -> f, Collectors.counting()));
        assertThat(redrivenFrom)
                .hasSize(26)
                .allSatisfy((from, n) -> assertThat(n).as(from).isEqualTo(1));
        Set<String> firstPositions = new HashSet<>();
        deadBefore.stream()
                .filter(r -> "quality".equals(DeadLetter.text(r.headers(), DeadLetter.STAGE)))
                .forEach(r -> firstPositions.add(DLQ + "/" + r.partition() + "/" + r.offset()));
        assertThat(redrivenFrom.keySet()).isEqualTo(firstPositions);

        // product: every valid and every fixed order exactly once; the fixed ones say they were redriven
        List<ConsumerRecord<byte[], byte[]>> product = ItSupport.read(settings, PRODUCT);
        assertThat(product)
                .as("the forged dead letter reached no product")
                .noneMatch(r -> "ord-forged".equals(new String(r.key(), StandardCharsets.UTF_8)));
        List<String> published = ids(product);
        assertThat(published).doesNotHaveDuplicates();
        Set<String> expected = new HashSet<>(valid);
        expected.addAll(czk);
        assertThat(new HashSet<>(published)).isEqualTo(expected);
        assertThat(product)
                .filteredOn(r -> czk.contains(ceId(r)))
                .hasSize(czk.size())
                .allSatisfy(r -> {
                    assertThat(DeadLetter.text(r.headers(), DeadLetter.REDRIVE_COUNT))
                            .isEqualTo("1");
                    assertThat(DeadLetter.text(r.headers(), DeadLetter.REDRIVE_FROM))
                            .startsWith(DLQ + "/");
                });

        // DLQ: the XYZ orders came back once, with their redrive count; parked: each of them once, with its history
        List<ConsumerRecord<byte[], byte[]>> deadAfter = ItSupport.read(settings, DLQ);
        assertThat(deadAfter)
                .filteredOn(r -> "1".equals(DeadLetter.text(r.headers(), DeadLetter.REDRIVE_COUNT)))
                .extracting(RedriveIT::ceId)
                .containsExactlyInAnyOrderElementsOf(xyz);
        List<ConsumerRecord<byte[], byte[]>> parked = ItSupport.read(settings, PlatformTopics.parked(DLQ));
        assertThat(ids(parked)).containsExactlyInAnyOrderElementsOf(xyz);
        assertThat(parked).allSatisfy(r -> {
            assertThat(DeadLetter.text(r.headers(), DeadLetter.PARKED_REASON)).contains("redriven 1 times");
            assertThat(DeadLetter.text(r.headers(), DeadLetter.RULE)).isEqualTo("currency.invalidValues");
            assertThat(DeadLetter.text(r.headers(), DeadLetter.REDRIVE_FROM)).startsWith(DLQ + "/");
        });
    }

    private static BackboneApp start(ClientSettings settings, ProductCatalog catalog, Path state) {
        return Backbone.start(
                settings, catalog, APP, state.toString(), SECRET, Map.of(BackboneConfig.PRODUCTS, "orders"));
    }

    private static String ceId(ConsumerRecord<byte[], byte[]> r) {
        return DeadLetter.text(r.headers(), "ce_id");
    }

    private static List<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> out = new ArrayList<>();
        records.stream().map(RedriveIT::ceId).filter(java.util.Objects::nonNull).forEach(out::add);
        return out;
    }

    record Result(int exit, String out, String err) {}

    /** {@code backbone ARGS} from the shipped jar, as its own process, against the test's cluster. */
    static Result backbone(Path dir, ClientSettings settings, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-jar",
                System.getProperty("backbone.jar", "target/backbone.jar")));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of(
                "--bootstrap-servers",
                settings.bootstrapServers(),
                "--schema-registry-url",
                settings.schemaRegistryUrl()));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS))
                .as("backbone %s ended", List.of(args))
                .isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
