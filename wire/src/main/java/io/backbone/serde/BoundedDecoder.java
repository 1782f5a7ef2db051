package io.backbone.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Avro's binary decoder over one record's bytes, refusing every declared length or count that the bytes left cannot
 * hold before anything of that size is allocated: Avro's reader allocates a string, bytes or an array of the declared
 * size first and reads after. Numbers and the rest are Avro's own. A block of more items than bytes left is allowed
 * only for items that take no bytes (an array of nulls), up to {@link AvroBounds#MAX_EMPTY_ITEMS} per record.
 */
final class BoundedDecoder extends Decoder {
    private BinaryDecoder in;
    private int size;
    private long emptyItems;

    /** Points this decoder at {@code in}, a decoder over a body of {@code size} bytes; returns this. */
    BoundedDecoder reset(BinaryDecoder in, int size) {
        this.in = in;
        this.size = size;
        this.emptyItems = 0;
        return this;
    }

    private int left() throws IOException {
        return in.inputStream().available();
    }

    /** Reads a length and refuses it unless the bytes left hold it. */
    private int length(String what) throws IOException {
        int at = size - left();
        long length = in.readLong();
        int left = left();
        if (length < 0 || length > left) {
            throw exceeds(what + " of " + length + " bytes", at, left);
        }
        return (int) length;
    }

    /** Refuses a block count that the bytes left cannot hold, but for items that take no bytes (bounded). */
    private long count(long count, String what, int at) throws IOException {
        int left = left();
        if (count > left) {
            emptyItems += count;
            if (count < 0 || emptyItems > AvroBounds.MAX_EMPTY_ITEMS) {
                throw exceeds(what + " block of " + count + " items", at, left);
            }
        }
        return count;
    }

    private interface Block {
        long read() throws IOException;
    }

    /** Avro's own limit refuses a count before it is returned (see {@link AvroLimits}): the same poison pill. */
    private long block(Block read, String what, int at) throws IOException {
        try {
            return read.read();
        } catch (org.apache.avro.SystemLimitException | UnsupportedOperationException e) {
            // UnsupportedOperationException: past what a Java array can hold
            throw exceeds(what + " block over Avro's collection limit (" + e.getMessage() + ")", at, left());
        }
    }

    private PoisonPillException exceeds(String what, int at, int left) {
        return new PoisonPillException(
                PoisonPillException.Kind.LENGTH_EXCEEDS_RECORD,
                what + " declared at byte " + at + " does not fit the " + size + "-byte body (" + left + " left)");
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = length("string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        if (length > 0) {
            in.readFixed(result.getBytes(), 0, length);
        }
        return result;
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(length("string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = length("bytes");
        ByteBuffer result = old != null && old.capacity() >= length ? old : ByteBuffer.allocate(length);
        result.clear();
        in.readFixed(result.array(), result.position(), length);
        result.limit(length);
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(length("bytes"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        int left = left();
        if (length > left) {
            throw exceeds("fixed of " + length + " bytes", size - left, left);
        }
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        int left = left();
        if (length > left) {
            throw exceeds("fixed of " + length + " bytes", size - left, left);
        }
        in.skipFixed(length);
    }

    @Override
    public long readArrayStart() throws IOException {
        int at = size - left();
        return count(block(() -> in.readArrayStart(), "array", at), "array", at);
    }

    @Override
    public long arrayNext() throws IOException {
        int at = size - left();
        return count(block(() -> in.arrayNext(), "array", at), "array", at);
    }

    @Override
    public long skipArray() throws IOException {
        int at = size - left();
        return count(block(() -> in.skipArray(), "array", at), "array", at);
    }

    @Override
    public long readMapStart() throws IOException {
        int at = size - left();
        return count(block(() -> in.readMapStart(), "map", at), "map", at);
    }

    @Override
    public long mapNext() throws IOException {
        int at = size - left();
        return count(block(() -> in.mapNext(), "map", at), "map", at);
    }

    @Override
    public long skipMap() throws IOException {
        int at = size - left();
        return count(block(() -> in.skipMap(), "map", at), "map", at);
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
