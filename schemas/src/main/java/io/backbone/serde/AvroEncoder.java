package io.backbone.serde;

import java.io.ByteArrayOutputStream;
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

    /** Frames {@code record}, written with {@code schema}, under {@code schemaId}. */
    public byte[] encode(int schemaId, Schema schema, Object record) {
        DatumWriter<Object> writer = writers.computeIfAbsent(
                schema,
                s -> record instanceof SpecificRecord
                        ? new SpecificDatumWriter<>(s, SpecificData.getForSchema(s))
                        : new org.apache.avro.generic.GenericDatumWriter<>(s, GenericData.get()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(new byte[WireFormat.HEADER_SIZE], 0, WireFormat.HEADER_SIZE);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] framed = out.toByteArray();
        WireFormat.writeHeader(framed, schemaId);
        return framed;
    }
}
