package io.backbone.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Encodes Avro records into Confluent's framing under a known schema id. */
public final class AvroEncoder {
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);

    /**
     * A per-thread output buffer, reused record after record (unsynchronized, unlike ByteArrayOutputStream), that
     * starts with room for the wire-format header; the framed value is one exact-size copy of it.
     */
    private static final class Buffer extends java.io.OutputStream {
        byte[] bytes = new byte[1024];
        int size;
        BinaryEncoder encoder;

        void reset() {
            if (bytes.length > 1 << 20) {
                bytes = new byte[1024]; // one huge record should not pin a megabyte per thread
            }
            size = WireFormat.HEADER_SIZE;
        }

        private void ensure(int extra) {
            if (size + extra > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }
    }

    /** Frames {@code record}, written with {@code schema}, under {@code schemaId}. */
    public byte[] encode(int schemaId, Schema schema, Object record) {
        DatumWriter<Object> writer = writers.computeIfAbsent(
                schema,
                s -> record instanceof SpecificRecord
                        ? new SpecificDatumWriter<>(s, SpecificData.getForSchema(s))
                        : new org.apache.avro.generic.GenericDatumWriter<>(s, GenericData.get()));
        Buffer out = buffers.get();
        out.reset();
        out.encoder = EncoderFactory.get().directBinaryEncoder(out, out.encoder);
        try {
            writer.write(record, out.encoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] framed = java.util.Arrays.copyOf(out.bytes, out.size);
        WireFormat.writeHeader(framed, schemaId);
        return framed;
    }
}
