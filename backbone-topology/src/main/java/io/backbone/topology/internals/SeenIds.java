package io.backbone.topology.internals;

import java.nio.charset.StandardCharsets;
import org.apache.avro.util.Utf8;

/**
 * The event ids a task has published within the dedup window, as 64-bit hashes (a collision among a million ids
 * has a probability around 3·10⁻⁸) in a primitive open-addressing table, evicted in arrival order once older than
 * the window: 48 to 96 bytes per id (a 16-byte slot in a table kept at most half full, and a 16-byte slot in the
 * arrival ring, which is at least half full) and no allocation per record.
 */
final class SeenIds {
    private final long windowMillis;
    // open addressing, linear probing, key and time side by side (one cache line per probe); key 0 means empty
    private Longs table = new Longs(2 * 1024);
    private int capacity = 1024;
    private int count;
    // arrival order (key, time pairs), for eviction
    private Longs ring = new Longs(2 * 1024);
    private int ringCapacity = 1024;
    private int head;
    private int ringSize;

    SeenIds(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /**
     * A long array in chunks of 64 KiB. One array of a million ids would be a G1 "humongous" object: each time the
     * table grew it started a concurrent marking cycle of the whole heap (12 in a 6-second benchmark leg, about a
     * microsecond per record in all); chunks are ordinary young objects.
     */
    static final class Longs {
        private static final int BITS = 13;
        private static final int CHUNK = 1 << BITS;
        private static final int MASK = CHUNK - 1;
        private final long[][] chunks;

        Longs(int length) {
            int n = Math.max(1, (length + CHUNK - 1) >>> BITS);
            chunks = new long[n][];
            for (int i = 0; i < n; i++) {
                chunks[i] = new long[Math.min(CHUNK, length - (i << BITS))];
            }
        }

        long get(int i) {
            return chunks[i >>> BITS][i & MASK];
        }

        void set(int i, long v) {
            chunks[i >>> BITS][i & MASK] = v;
        }
    }

    /**
     * Whether the id whose {@link #hash} is {@code key} was published within the window of {@code timestamp}. It is
     * not recorded: a record counts as published only once it is forwarded to the product ({@link #add}).
     */
    boolean seen(long key, long timestamp) {
        evict(timestamp);
        int slot = find(key);
        return table.get(slot) == key && Math.abs(timestamp - table.get(slot + 1)) <= windowMillis;
    }

    /** Records the id whose {@link #hash} is {@code key} as published at {@code timestamp}. */
    void add(long key, long timestamp) {
        put(key, timestamp);
    }

    int size() {
        return count;
    }

    private void put(long key, long timestamp) {
        if ((count + 1) * 2 > capacity) {
            rehash(capacity * 2);
        }
        int slot = find(key);
        if (table.get(slot) != key) {
            table.set(slot, key);
            count++;
        }
        table.set(slot + 1, timestamp);
        if (ringSize == ringCapacity) {
            growRing();
        }
        int tail = (head + ringSize) & (ringCapacity - 1);
        ring.set(2 * tail, key);
        ring.set(2 * tail + 1, timestamp);
        ringSize++;
    }

    private void evict(long now) {
        while (ringSize > 0 && ring.get(2 * head + 1) < now - windowMillis) {
            long key = ring.get(2 * head);
            int slot = find(key);
            // a later arrival of the same id keeps it
            if (table.get(slot) == key && table.get(slot + 1) == ring.get(2 * head + 1)) {
                remove(slot);
            }
            head = (head + 1) & (ringCapacity - 1);
            ringSize--;
        }
    }

    /** The table index (even) of {@code key}'s slot, or of the empty slot where it belongs. */
    private int find(long key) {
        int mask = capacity - 1;
        int i = home(key, mask);
        while (table.get(2 * i) != 0 && table.get(2 * i) != key) {
            i = (i + 1) & mask;
        }
        return 2 * i;
    }

    private static int home(long key, int mask) {
        return (int) (key ^ (key >>> 32)) & mask;
    }

    /** Backward-shift deletion keeps linear probing correct without tombstones. */
    private void remove(int slot) {
        int mask = capacity - 1;
        int hole = slot >> 1;
        int next = (hole + 1) & mask;
        while (table.get(2 * next) != 0) {
            int home = home(table.get(2 * next), mask);
            boolean movable = hole <= next ? home <= hole || home > next : home <= hole && home > next;
            if (movable) {
                table.set(2 * hole, table.get(2 * next));
                table.set(2 * hole + 1, table.get(2 * next + 1));
                hole = next;
            }
            next = (next + 1) & mask;
        }
        table.set(2 * hole, 0);
        count--;
    }

    private void rehash(int newCapacity) {
        Longs old = table;
        int oldCapacity = capacity;
        table = new Longs(2 * newCapacity);
        capacity = newCapacity;
        for (int i = 0; i < 2 * oldCapacity; i += 2) {
            long key = old.get(i);
            if (key != 0) {
                int slot = find(key);
                table.set(slot, key);
                table.set(slot + 1, old.get(i + 1));
            }
        }
    }

    private void growRing() {
        Longs grown = new Longs(4 * ringCapacity);
        for (int i = 0; i < ringSize; i++) {
            int from = (head + i) & (ringCapacity - 1);
            grown.set(2 * i, ring.get(2 * from));
            grown.set(2 * i + 1, ring.get(2 * from + 1));
        }
        ring = grown;
        ringCapacity *= 2;
        head = 0;
    }

    /**
     * 64-bit FNV-1a of the id's UTF-8 bytes, then mixed; never 0. Avro's {@link Utf8} is hashed in place, so the id
     * read from a record costs no conversion; a String with the same text hashes the same.
     */
    static long hash(CharSequence id) {
        long h = 0xcbf29ce484222325L;
        if (id instanceof Utf8 utf8) {
            byte[] bytes = utf8.getBytes();
            for (int i = 0, n = utf8.getByteLength(); i < n; i++) {
                h ^= bytes[i];
                h *= 0x100000001b3L;
            }
        } else {
            for (byte b : id.toString().getBytes(StandardCharsets.UTF_8)) {
                h ^= b;
                h *= 0x100000001b3L;
            }
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
