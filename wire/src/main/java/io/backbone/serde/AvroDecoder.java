package io.backbone.serde;

import io.backbone.registry.SchemaNotFoundException;
import io.backbone.registry.SchemaRegistryClient;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Decodes Confluent-framed Avro values. With a reader schema, every writer schema is resolved to it (Avro schema
 * resolution); without one, records are read as written. Readers are built once per writer schema id.
 */
public final class AvroDecoder {
    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final boolean specific;
    private final Map<Integer, Reader> readers = new ConcurrentHashMap<>();

    static {
        AvroLimits.install();
    }

    /** The datum reader of one writer schema; for a recursive schema, the walk its bytes are checked with first. */
    private record Reader(DatumReader<Object> datum, AvroBounds bounds) {}

    private final ThreadLocal<Decoders> decoders = ThreadLocal.withInitial(Decoders::new);

    /** One thread's reusable decoders: Avro's over the bytes, and the one that bounds what they declare. */
    private static final class Decoders {
        BinaryDecoder binary;
        final BoundedDecoder bounded = new BoundedDecoder();
    }

    private AvroDecoder(SchemaRegistryClient registry, Schema readerSchema, boolean specific) {
        this.registry = registry;
        this.readerSchema = readerSchema;
        this.specific = specific;
    }

    /** Generic records as the writer wrote them. */
    public static AvroDecoder generic(SchemaRegistryClient registry) {
        return new AvroDecoder(registry, null, false);
    }

    /** Generic records resolved to {@code readerSchema}. */
    public static AvroDecoder generic(SchemaRegistryClient registry, Schema readerSchema) {
        return new AvroDecoder(registry, readerSchema, false);
    }

    /** Specific (generated) records; the reader schema is the class's own. */
    public static AvroDecoder specific(SchemaRegistryClient registry, Schema readerSchema) {
        return new AvroDecoder(registry, readerSchema, true);
    }

    /** The writer schema of a framed value, looked up by its id. */
    public Schema writerSchema(byte[] framed) {
        return writerSchema(WireFormat.schemaId(framed));
    }

    /** The schema registered under {@code id}; an unknown id is a poison pill. */
    public Schema writerSchema(int id) {
        try {
            return registry.schemaById(id);
        } catch (SchemaNotFoundException e) {
            throw new PoisonPillException(
                    PoisonPillException.Kind.UNKNOWN_SCHEMA_ID, "schema id " + id + " is not in the registry", e);
        }
    }

    /**
     * Decodes one value. Throws {@link PoisonPillException} for values that can never be read and lets
     * {@link io.backbone.registry.RegistryUnavailableException} through, since those must be retried.
     */
    public Object decode(byte[] framed) {
        int id = WireFormat.schemaId(framed);
        Reader reader = readers.computeIfAbsent(id, this::newReader);
        if (reader.bounds() != null) {
            // a schema that contains itself: its depth is bounded by the bytes, so walk them before recursing
            reader.bounds().check(framed, WireFormat.HEADER_SIZE, framed.length);
        }
        int size = framed.length - WireFormat.HEADER_SIZE;
        Decoders mine = decoders.get();
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(framed, WireFormat.HEADER_SIZE, size, mine.binary);
        mine.binary = decoder;
        try {
            // every length and count the bytes declare is checked against the bytes left before Avro allocates it
            Object value = reader.datum().read(null, mine.bounded.reset(decoder, size));
            if (!decoder.isEnd()) {
                throw new PoisonPillException(
                        PoisonPillException.Kind.UNDECODABLE, "trailing bytes after the Avro body of schema id " + id);
            }
            return value;
        } catch (IOException | RuntimeException e) {
            // reading the body touches no registry: whatever fails here (Avro's own exceptions, its size limits,
            // index and array-size errors on corrupt lengths) is bytes that can never be read
            if (e instanceof PoisonPillException pill) {
                throw pill;
            }
            throw new PoisonPillException(
                    PoisonPillException.Kind.UNDECODABLE,
                    "Avro body does not decode with schema id " + id + ": " + e.getMessage(),
                    e);
        }
    }

    private Reader newReader(int id) {
        Schema writer = writerSchema(id);
        Schema reader = readerSchema == null ? writer : readerSchema;
        DatumReader<Object> datum = specific
                ? new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader))
                : new GenericDatumReader<>(writer, reader, GenericData.get());
        AvroBounds bounds = AvroBounds.of(writer);
        return new Reader(datum, bounds.recursive() ? bounds : null);
    }
}
