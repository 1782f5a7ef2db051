package io.backbone.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbone.contract.ContractViolationException;
import io.backbone.kafka.ClientSettings;
import io.backbone.orders.v1.OrderEvent;
import io.backbone.platform.LocalPostgres;
import io.backbone.platform.TestPlatform;
import io.backbone.producer.orders.OrderBook;
import io.backbone.producer.orders.OrdersService;
import io.backbone.producer.outbox.OutboxPublisher;
import io.backbone.producer.publish.ContractCheck;
import io.backbone.product.ProductCatalog;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The transactional outbox on a real PostgreSQL and a real broker: an order and its event commit together or not at
 * all, a bad event fails the transaction, and the relay (Debezium's outbox router) writes the committed events'
 * bytes unchanged to the raw topic, resuming after a restart.
 */
class OutboxRelayIT {
    @Test
    void committedOrdersAndOnlyThoseReachTheRawTopicBytesUnchangedAcrossARestartOfTheRelay() throws Exception {
        TestPlatform kafka = TestPlatform.get();
        ClientSettings settings = ClientSettings.of(kafka.bootstrapServers(), kafka.schemaRegistryUrl());
        ProductCatalog catalog = ProductCatalog.shipped();
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(settings.clientConfig());
        registry.register(OrdersService.TOPIC + "-value", OrderEvent.getClassSchema());
        try (var admin = kafka.admin()) {
            if (!admin.listTopics().names().get().contains(OrdersService.TOPIC)) {
                admin.createTopics(List.of(new NewTopic(OrdersService.TOPIC, 2, (short) 1)))
                        .all()
                        .get();
            }
        }
        try (LocalPostgres pg = LocalPostgres.start(0);
                Connection db = pg.connect();
                OutboxPublisher outbox = new OutboxPublisher(
                        OrderBook.OUTBOX,
                        OrdersService.SOURCE,
                        settings,
                        new ContractCheck(catalog, ContractCheck.Mode.REJECT))) {
            OrderBook book = new OrderBook(db, outbox);
            CdcCapture.OutboxSettings relaySettings = new CdcCapture.OutboxSettings(
                    OrdersService.DOMAIN,
                    OrderBook.OUTBOX,
                    List.of(OrdersService.TOPIC),
                    CdcCapture.Database.fromJdbcUrl(pg.jdbcUrl(), LocalPostgres.USER, pg.password()),
                    settings,
                    (short) -1);
            Random rnd = new Random(21);
            List<OrderEvent> committed = new ArrayList<>();
            Set<String> rolledBack = new HashSet<>();
            // written before the relay ever ran: the slot made with the outbox keeps them
            for (int i = 0; i < 10; i++) {
                OrderEvent e = OrdersService.place(String.format("ord-%08d", i), "cus-000001", rnd, Instant.now());
                book.record(e, true);
                committed.add(e);
            }
            try (CdcCapture relay = new CdcCapture(relaySettings)) {
                relay.start();
                for (int i = 10; i < 60; i++) {
                    OrderEvent e = OrdersService.place(String.format("ord-%08d", i), "cus-000002", rnd, Instant.now());
                    boolean commit = i % 7 != 0;
                    book.record(e, commit);
                    if (commit) {
                        committed.add(e);
                    } else {
                        rolledBack.add(e.getEventId());
                    }
                }
                awaitOnTopic(settings, committed.size());
            }
            // the relay stopped; orders go on; a new relay resumes from the positions kept in Kafka
            for (int i = 60; i < 80; i++) {
                OrderEvent e = OrdersService.place(String.format("ord-%08d", i), "cus-000003", rnd, Instant.now());
                book.record(e, true);
                committed.add(e);
            }
            // an event that breaks its contract fails the transaction, naming the rule; the order is not there
            OrderEvent bad = OrdersService.place("ord-99999999", "cus-000004", rnd, Instant.now());
            bad.setTotalAmountMinor(bad.getTotalAmountMinor() + 1);
            assertThatThrownBy(() -> book.record(bad, true))
                    .isInstanceOf(ContractViolationException.class)
                    .hasMessageContaining("total-equals-sum-of-lines");
            assertThat(book.exists("ord-99999999")).isFalse();
            assertThat(book.exists("ord-00000011")).isTrue();
            try (CdcCapture relay = new CdcCapture(relaySettings)) {
                relay.start();
                awaitOnTopic(settings, committed.size());
            }

            List<ConsumerRecord<byte[], byte[]>> records = read(settings);
            AvroDecoder decoder = AvroDecoder.generic(registry);
            Map<String, ConsumerRecord<byte[], byte[]>> byId = new java.util.HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                byId.put(
                        ((GenericRecord) decoder.decode(r.value()))
                                .get("eventId")
                                .toString(),
                        r);
            }
            assertThat(byId.keySet())
                    .containsExactlyInAnyOrderElementsOf(
                            committed.stream().map(OrderEvent::getEventId).toList())
                    .doesNotContainAnyElementsOf(rolledBack)
                    .doesNotContain(bad.getEventId());
            OrderEvent first = committed.get(0);
            ConsumerRecord<byte[], byte[]> r = byId.get(first.getEventId());
            assertThat(r.value()).isEqualTo(outboxBytes(settings, first));
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(first.getOrderId());
            assertThat(header(r, "ce_id")).isEqualTo(first.getEventId());
            assertThat(header(r, "ce_type")).isEqualTo("io.backbone.orders.ORDER_PLACED");
            assertThat(header(r, "ce_source")).isEqualTo(OrdersService.SOURCE);
            assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(r, "ce_time")).isNotBlank();
        }
    }

    static byte[] outboxBytes(ClientSettings settings, OrderEvent event) {
        var serializer = new io.backbone.serde.ConfluentAvroSerializer<org.apache.avro.specific.SpecificRecord>(
                new RestSchemaRegistryClient(settings.clientConfig()));
        serializer.configure(settings.clientConfig(), false);
        return serializer.serialize(OrdersService.TOPIC, event);
    }

    static void awaitOnTopic(ClientSettings settings, int count) {
        Awaitility.await()
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> read(settings).size() >= count);
    }

    /** Every record of the orders raw topic as it stands now. */
    static List<ConsumerRecord<byte[], byte[]>> read(ClientSettings settings) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
                Map.of("bootstrap.servers", settings.bootstrapServers()),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> parts = c.partitionsFor(OrdersService.TOPIC).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 30_000;
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        var h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
