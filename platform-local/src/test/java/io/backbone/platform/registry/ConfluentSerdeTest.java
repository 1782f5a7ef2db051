package io.backbone.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbone.orders.v1.OrderEvent;
import io.backbone.orders.v1.OrderEventType;
import io.backbone.orders.v1.OrderLine;
import io.backbone.registry.RegistryClientConfig;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.ConfluentAvroDeserializer;
import io.backbone.serde.ConfluentAvroSerializer;
import io.backbone.serde.PoisonPillException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kafka serde as a Confluent client uses it: configured by properties, subjects by TopicNameStrategy. */
class ConfluentSerdeTest {
    static final Schema PAIR = SchemaBuilder.record("Pair")
            .namespace("t")
            .fields()
            .requiredString("name")
            .requiredInt("n")
            .endRecord();

    EmbeddedSchemaRegistry registry;
    Map<String, Object> config;

    @BeforeEach
    void start() {
        registry = EmbeddedSchemaRegistry.builder().start();
        config = Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url());
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void shouldRegisterUnderTopicValueSubjectAndFrameWithTheReturnedId() {
        GenericRecord pair = new GenericData.Record(PAIR);
        pair.put("name", "ab");
        pair.put("n", 3);
        ConfluentAvroSerializer<GenericRecord> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(config, false);

        byte[] bytes = serializer.serialize("t.raw.pairs", pair);

        int id =
                new RestSchemaRegistryClient(config).latest("t.raw.pairs-value").id();
        String idHex = String.format("%08x", id);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("00" + idHex + "04616206");
    }

    @Test
    void shouldReadHandFramedBytesAsAConfluentProducerWouldWriteThem() {
        int id = new RestSchemaRegistryClient(config).register("t.raw.pairs-value", PAIR);
        byte[] framed = ByteBuffer.allocate(9)
                .put((byte) 0)
                .putInt(id)
                .put(new byte[] {0x04, 0x61, 0x62, 0x06})
                .array();
        ConfluentAvroDeserializer<GenericRecord> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(config, false);

        GenericRecord read = deserializer.deserialize("t.raw.pairs", framed);

        assertThat(read.get("name").toString()).isEqualTo("ab");
        assertThat(read.get("n")).isEqualTo(3);
    }

    @Test
    void shouldRoundTripGeneratedClasses() {
        OrderEvent order = OrderEvent.newBuilder()
                .setEventId("6f1c1a52-0c5e-4c2b-9a55-0d5bb0b8d111")
                .setEventType(OrderEventType.ORDER_PLACED)
                .setOccurredAt(Instant.ofEpochMilli(1_764_000_000_000L))
                .setOrderId("ord-1")
                .setCustomerId("cus-000001")
                .setLines(List.of(new OrderLine("ABC-0001", 2, 1250L)))
                .setTotalAmountMinor(2500L)
                .setCurrency("EUR")
                .build();
        ConfluentAvroSerializer<OrderEvent> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(config, false);
        ConfluentAvroDeserializer<OrderEvent> deserializer =
                new ConfluentAvroDeserializer<>(new RestSchemaRegistryClient(config), OrderEvent.class);

        OrderEvent back = deserializer.deserialize(
                "orders.raw.order-events", serializer.serialize("orders.raw.order-events", order));

        assertThat(back).isEqualTo(order);
    }

    @Test
    void shouldClassifyUnknownIdsAndTruncatedBodiesAsPoisonPills() {
        ConfluentAvroDeserializer<GenericRecord> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(config, false);
        byte[] unknownId = {0, 0, 0x0f, 0x42, 0x3f, 0x02};
        int id = new RestSchemaRegistryClient(config).register("t.raw.pairs-value", PAIR);
        byte[] truncated = ByteBuffer.allocate(7)
                .put((byte) 0)
                .putInt(id)
                .put(new byte[] {0x04, 0x61})
                .array();

        assertThatThrownBy(() -> deserializer.deserialize("t", unknownId))
                .extracting(e -> ((PoisonPillException) e).kind())
                .isEqualTo(PoisonPillException.Kind.UNKNOWN_SCHEMA_ID);
        // the string declares 2 bytes where 1 is left: refused before it is read
        assertThatThrownBy(() -> deserializer.deserialize("t", truncated))
                .extracting(e -> ((PoisonPillException) e).kind())
                .isEqualTo(PoisonPillException.Kind.LENGTH_EXCEEDS_RECORD);
    }

    /** A registry filled from the .avsc files serves producers built on the generated classes. */
    @Test
    void aProducerWithoutAutoRegisterFindsTheSchemaProvisionedFromTheAvscFile() throws Exception {
        Schema avsc;
        try (var in = getClass().getResourceAsStream("/catalog/avro/orders/OrderEvent.avsc")) {
            avsc = new Schema.Parser().parse(in);
        }
        assertThat(OrderEvent.getClassSchema().toString()).contains("avro.java.string");
        RestSchemaRegistryClient provisioner = new RestSchemaRegistryClient(config);
        int provisioned = provisioner.register("orders.raw.order-events-value", avsc);
        ConfluentAvroSerializer<OrderEvent> producer = new ConfluentAvroSerializer<>();
        producer.configure(
                Map.of(
                        RegistryClientConfig.SCHEMA_REGISTRY_URL,
                        registry.url(),
                        io.backbone.serde.AvroSerdeConfig.AUTO_REGISTER_SCHEMAS,
                        false),
                false);

        byte[] bytes = producer.serialize(
                "orders.raw.order-events",
                OrderEvent.newBuilder()
                        .setEventId("e-1")
                        .setEventType(OrderEventType.ORDER_PLACED)
                        .setOrderId("ord-1")
                        .setCustomerId("cus-1")
                        .setOccurredAt(Instant.parse("2026-11-24T10:00:00Z"))
                        .setCurrency("EUR")
                        .setTotalAmountMinor(100)
                        .setLines(List.of(new OrderLine("SKU-0001", 1, 100L)))
                        .build());

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(provisioned);
        assertThat(provisioner.versions("orders.raw.order-events-value")).containsExactly(1);
    }
}
