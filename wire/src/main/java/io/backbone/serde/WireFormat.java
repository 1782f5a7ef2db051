package io.backbone.serde;

import java.nio.ByteBuffer;

/** Confluent's framing of a value: magic byte 0, a 4-byte big-endian schema id, then the Avro binary body. */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {}

    /** The schema id in a framed value; throws {@link PoisonPillException} if the bytes are not framed. */
    public static int schemaId(byte[] framed) {
        if (framed == null) {
            throw new PoisonPillException(PoisonPillException.Kind.NULL_VALUE, "value is null");
        }
        if (framed.length < HEADER_SIZE) {
            throw new PoisonPillException(
                    PoisonPillException.Kind.NOT_FRAMED,
                    "value has " + framed.length + " bytes, fewer than the 5-byte Confluent header");
        }
        if (framed[0] != MAGIC_BYTE) {
            throw new PoisonPillException(
                    PoisonPillException.Kind.NOT_FRAMED,
                    String.format("first byte is 0x%02x, not the Confluent magic byte 0x00", framed[0] & 0xff));
        }
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }

    /** Writes the 5-byte header for {@code schemaId} into the start of {@code target}. */
    public static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }
}
