package io.backbone.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class WireFormatTest {
    static final Schema SCHEMA = new Schema.Parser()
            .parse(
                    "{\"type\":\"record\",\"name\":\"V\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"n\",\"type\":\"int\"}]}");

    @Test
    void shouldWriteMagicByteBigEndianIdThenAvroBinaryByteForByte() {
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("name", "ab");
        record.put("n", 3);

        byte[] framed = new AvroEncoder().encode(42, SCHEMA, record);

        // 00 | 00 00 00 2a (id 42) | 04 ("ab": zigzag length 2) 61 62 | 06 (zigzag 3)
        assertThat(HexFormat.of().formatHex(framed)).isEqualTo("000000002a04616206");
    }

    @Test
    void shouldWriteLargeIdsBigEndian() {
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("name", "");
        record.put("n", -1);

        byte[] framed = new AvroEncoder().encode(0x01020304, SCHEMA, record);

        assertThat(HexFormat.of().formatHex(framed)).isEqualTo("00010203040001");
        assertThat(WireFormat.schemaId(framed)).isEqualTo(0x01020304);
    }

    @Test
    void shouldRejectValuesThatAreNotConfluentFramed() {
        assertThatThrownBy(() -> WireFormat.schemaId("{\"json\":1}".getBytes()))
                .isInstanceOf(PoisonPillException.class)
                .hasMessageContaining("0x7b")
                .extracting(e -> ((PoisonPillException) e).kind())
                .isEqualTo(PoisonPillException.Kind.NOT_FRAMED);
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {0, 0, 1}))
                .extracting(e -> ((PoisonPillException) e).kind())
                .isEqualTo(PoisonPillException.Kind.NOT_FRAMED);
        assertThatThrownBy(() -> WireFormat.schemaId(null))
                .extracting(e -> ((PoisonPillException) e).kind())
                .isEqualTo(PoisonPillException.Kind.NULL_VALUE);
    }
}
