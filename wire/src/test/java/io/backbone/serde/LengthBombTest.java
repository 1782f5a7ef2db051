package io.backbone.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbone.registry.RegisteredSchema;
import io.backbone.registry.SchemaNotFoundException;
import io.backbone.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A length or count read from a producer's bytes is checked against the bytes left before anything is allocated:
 * these properties run with a 128 MB heap (see this module's pom), where allocating what a bomb declares would throw
 * {@link OutOfMemoryError} instead of the poison pill asserted here.
 */
class LengthBombTest {
    private static final int ID = 7;

    /** Each Avro type whose size a producer's bytes declare, behind an int field the bomb must get past. */
    enum Target {
        STRING("\"string\""),
        BYTES("\"bytes\""),
        FIXED("{\"type\":\"fixed\",\"name\":\"F\",\"size\":4096}"),
        ARRAY_OF_LONGS("{\"type\":\"array\",\"items\":\"long\"}"),
        ARRAY_OF_NULLS("{\"type\":\"array\",\"items\":\"null\"}"),
        MAP_OF_STRINGS("{\"type\":\"map\",\"values\":\"string\"}"),
        ARRAY_OF_RECORDS_OF_STRING(
                "{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"Line\",\"fields\":[{\"name\":\"sku\",\"type\":\"string\"}]}}"),
        NESTED_RECORD_OF_BYTES(
                "{\"type\":\"record\",\"name\":\"Inner\",\"fields\":[{\"name\":\"deeper\",\"type\":{\"type\":\"record\",\"name\":\"Deepest\",\"fields\":[{\"name\":\"b\",\"type\":\"bytes\"}]}}]}"),
        UNION_OF_STRING("[\"null\",\"string\"]"),
        MAP_OF_ARRAYS("{\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":\"int\"}}");

        final Schema schema;

        Target(String type) {
            this.schema = new Schema.Parser()
                    .parse("{\"type\":\"record\",\"name\":\"Bomb\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"},"
                            + "{\"name\":\"target\",\"type\":" + type + "}]}");
        }
    }

    /** Seeded, so a failure names a case that reproduces: target, then the seed of the declared length and junk. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aDeclaredLengthPastTheRecordIsAPoisonPillNotAnAllocation(Target target) {
        for (long seed = 0; seed < 60; seed++) {
            Random random = new Random(seed * 31 + target.ordinal());
            // edge cases first: just past what is left, the int boundary, the long range
            long declared =
                    switch ((int) seed) {
                        case 0 -> AvroBounds.MAX_EMPTY_ITEMS + 1;
                        case 1 -> Integer.MAX_VALUE;
                        case 2 -> 2_000_000_000L;
                        case 3 -> Long.MAX_VALUE / 4;
                        default -> AvroBounds.MAX_EMPTY_ITEMS + 1 + (random.nextLong() >>> 3);
                    };
            byte[] junk = new byte[random.nextInt(41)];
            random.nextBytes(junk);
            assertBomb(target, declared, junk, random.nextBoolean(), "seed " + seed);
        }
    }

    private static void assertBomb(Target target, long declared, byte[] junk, boolean blockWithSize, String which) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        zigzag(body, 42); // the int field
        switch (target) {
            case STRING, BYTES -> zigzag(body, declared);
            case FIXED -> {} // the schema declares 4096 bytes; fewer are left
            case ARRAY_OF_LONGS, ARRAY_OF_NULLS, MAP_OF_STRINGS, MAP_OF_ARRAYS -> block(body, declared, blockWithSize);
            case ARRAY_OF_RECORDS_OF_STRING -> {
                zigzag(body, 1);
                zigzag(body, declared);
            }
            case NESTED_RECORD_OF_BYTES -> zigzag(body, declared);
            case UNION_OF_STRING -> {
                zigzag(body, 1);
                zigzag(body, declared);
            }
        }
        if (target == Target.MAP_OF_ARRAYS && declared % 2 == 0) {
            // the map's own count fits, the nested array's does not
            body.reset();
            zigzag(body, 42);
            zigzag(body, 1);
            zigzag(body, 1);
            body.write('k');
            zigzag(body, declared);
        }
        body.writeBytes(junk);

        assertThatThrownBy(() -> decoder(target.schema).decode(framed(body.toByteArray())))
                .as("%s, declared %d, %s", target, declared, which)
                .isInstanceOf(PoisonPillException.class)
                .satisfies(e -> assertThat(((PoisonPillException) e).kind())
                        .isEqualTo(PoisonPillException.Kind.LENGTH_EXCEEDS_RECORD))
                .hasMessageContaining("declared at byte");
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void everyValidRecordStillDecodes(Target target) {
        for (Object record : new RandomData(target.schema, 50, target.ordinal())) {
            byte[] body = encode(target.schema, record);
            assertThat(decoder(target.schema).decode(framed(body))).isEqualTo(record);
        }
    }

    @Test
    void aDeclaredLengthOfTwoBillionOnTheFirstStringIsRefusedNamingWhereAndHowMuch() {
        Schema s = Target.STRING.schema;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        zigzag(body, 1);
        zigzag(body, 2_000_000_000L);
        body.writeBytes(new byte[10]);

        assertThatThrownBy(() -> decoder(s).decode(framed(body.toByteArray())))
                .isInstanceOf(PoisonPillException.class)
                .hasMessage("string of 2000000000 bytes declared at byte 1 does not fit the 16-byte body (10 left)");
    }

    @Test
    void nestingDeeperThanTheBoundIsAPoisonPillNotAStackOverflow() {
        Schema list = new Schema.Parser()
                .parse(
                        "{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"next\",\"type\":[\"null\",\"Node\"]}]}");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) {
            zigzag(body, 1); // the union's Node branch, again and again
        }
        zigzag(body, 0);

        assertThatThrownBy(() -> decoder(list).decode(framed(body.toByteArray())))
                .isInstanceOf(PoisonPillException.class)
                .satisfies(e -> assertThat(((PoisonPillException) e).kind())
                        .isEqualTo(PoisonPillException.Kind.NESTING_TOO_DEEP));

        ByteArrayOutputStream shallow = new ByteArrayOutputStream();
        for (int i = 0; i < 30; i++) {
            zigzag(shallow, 1);
        }
        zigzag(shallow, 0);
        assertThat(decoder(list).decode(framed(shallow.toByteArray()))).isNotNull();
    }

    @Test
    void anArrayOfItemsThatTakeNoBytesIsBoundedByCount() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        zigzag(body, 1);
        zigzag(body, 1L << 40);
        zigzag(body, 0);

        assertThatThrownBy(() -> decoder(Target.ARRAY_OF_NULLS.schema).decode(framed(body.toByteArray())))
                .isInstanceOf(PoisonPillException.class)
                .hasMessageContaining("array block")
                .hasMessageContaining("declared at byte 1");
        // within Avro's limit, beyond what a record may declare of items that take no bytes
        ByteArrayOutputStream many = new ByteArrayOutputStream();
        zigzag(many, 1);
        zigzag(many, AvroBounds.MAX_EMPTY_ITEMS + 1L);
        zigzag(many, 0);
        assertThatThrownBy(() -> decoder(Target.ARRAY_OF_NULLS.schema).decode(framed(many.toByteArray())))
                .isInstanceOf(PoisonPillException.class)
                .hasMessage("array block of 65537 items declared at byte 1 does not fit the 5-byte body (1 left)");
        // and as many as it may: decoded
        ByteArrayOutputStream fine = new ByteArrayOutputStream();
        zigzag(fine, 1);
        zigzag(fine, 1000);
        zigzag(fine, 0);
        assertThat(decoder(Target.ARRAY_OF_NULLS.schema).decode(framed(fine.toByteArray())))
                .isNotNull();
    }

    @Test
    void avrosOwnLimitsAreSetAsASecondWall() {
        AvroLimits.install();
        assertThat(Long.parseLong(System.getProperty("org.apache.avro.limits.string.maxLength")))
                .isEqualTo(AvroLimits.MAX_BYTES);
        assertThat(Long.parseLong(System.getProperty("org.apache.avro.limits.collectionItems.maxLength")))
                .isEqualTo(AvroLimits.MAX_COLLECTION_ITEMS);
    }

    private static void block(ByteArrayOutputStream out, long count, boolean withSize) {
        if (withSize) {
            zigzag(out, -count);
            zigzag(out, new Random(count).nextInt(8));
        } else {
            zigzag(out, count);
        }
    }

    private static void zigzag(ByteArrayOutputStream out, long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.write((int) ((z & 0x7f) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
    }

    private static byte[] framed(byte[] body) {
        byte[] framed = new byte[body.length + WireFormat.HEADER_SIZE];
        WireFormat.writeHeader(framed, ID);
        System.arraycopy(body, 0, framed, WireFormat.HEADER_SIZE, body.length);
        return framed;
    }

    private static byte[] encode(Schema schema, Object record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<>(schema).write(record, e);
            e.flush();
        } catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
        return out.toByteArray();
    }

    private static AvroDecoder decoder(Schema schema) {
        return AvroDecoder.generic(new OneSchema(schema));
    }

    /** A registry that knows one schema under id {@value #ID}: the decoder asks nothing else. */
    private record OneSchema(Schema schema) implements SchemaRegistryClient {
        @Override
        public Schema schemaById(int id) {
            if (id != ID) {
                throw new SchemaNotFoundException(40403, "no schema " + id);
            }
            return schema;
        }

        @Override
        public int register(String subject, Schema s) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int idOf(String subject, Schema s) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RegisteredSchema latest(String subject) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Integer> versions(String subject) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isCompatible(String subject, Schema s) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setCompatibility(String subject, String mode) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String compatibility(String subject) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int register(String subject, Schema s, String metadata, String ruleSet) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String latestRuleSet(String subject) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Integer> deleteSubject(String subject, boolean permanent) {
            throw new UnsupportedOperationException();
        }
    }
}
