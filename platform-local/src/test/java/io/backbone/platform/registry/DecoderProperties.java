package io.backbone.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.orders.v1.OrderEvent;
import io.backbone.registry.RestSchemaRegistryClient;
import io.backbone.serde.AvroDecoder;
import io.backbone.serde.PoisonPillException;
import io.backbone.serde.WireFormat;
import java.nio.ByteBuffer;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.avro.Schema;

/** On any bytes at all, the decoder returns a value or throws its documented {@link PoisonPillException}. */
class DecoderProperties {
    static EmbeddedSchemaRegistry registry;
    static RestSchemaRegistryClient client;
    static int orderId;
    static int stringId;

    @BeforeContainer
    static void start() {
        registry = EmbeddedSchemaRegistry.builder().start();
        client = new RestSchemaRegistryClient(Map.of("schema.registry.url", registry.url()));
        orderId = client.register("orders-value", OrderEvent.getClassSchema());
        stringId = client.register("strings-value", Schema.create(Schema.Type.STRING));
    }

    @AfterContainer
    static void stop() {
        registry.close();
    }

    /** Mostly framed with a registered id (so the Avro body is what gets tested), sometimes anything at all. */
    @Provide
    Arbitrary<byte[]> values() {
        Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> framed = Arbitraries.of(orderId, stringId, 999_999, -1)
                .flatMap(id -> body.map(b -> ByteBuffer.allocate(WireFormat.HEADER_SIZE + b.length)
                        .put(WireFormat.MAGIC_BYTE)
                        .putInt(id)
                        .put(b)
                        .array()));
        return Arbitraries.frequencyOf(java.util.List.of(Tuple.of(8, framed), Tuple.of(2, body)));
    }

    @Property(tries = 500)
    void genericDecodingThrowsNothingButPoisonPills(@ForAll("values") byte[] value) {
        assertDecodesOrPoisonPill(AvroDecoder.generic(client), value);
    }

    @Property(tries = 300)
    void decodingToAReaderSchemaThrowsNothingButPoisonPills(@ForAll("values") byte[] value) {
        assertDecodesOrPoisonPill(AvroDecoder.generic(client, OrderEvent.getClassSchema()), value);
    }

    static void assertDecodesOrPoisonPill(AvroDecoder decoder, byte[] value) {
        try {
            decoder.decode(value);
        } catch (PoisonPillException expected) {
            assertThat(expected.kind()).isNotNull();
        }
    }
}
