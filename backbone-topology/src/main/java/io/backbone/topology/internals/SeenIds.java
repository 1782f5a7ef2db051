package io.backbone.topology.internals;

import java.nio.charset.StandardCharsets;
import org.apache.avro.util.Utf8;

/**
 * The event ids a task has published within the dedup window, as 64-bit hashes (a collision among a million ids
 * has a probability around 3·10⁻⁸) in a primitive open-addressing table, evicted in arrival order once older than
 * the window: 32 bytes per id and no allocation per record.
 */
final class SeenIds {
    private final long windowMillis;
    // open addressing, linear probing, key and time side by side (one cache line per probe); key 0 means empty
    private long[] table = new long[2 * 1024];
    private int count;
    // arrival order, for eviction
    private long[] ringKeys = new long[1024];
    private long[] ringTimes = new long[1024];
    private int head;
    private int ringSize;

    SeenIds(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** Whether {@code id} was seen within the window of {@code timestamp}; records it if not. */
    boolean seenBefore(CharSequence id, long timestamp) {
        evict(timestamp);
        long key = hash(id);
        int slot = find(key);
        if (table[slot] == key && Math.abs(timestamp - table[slot + 1]) <= windowMillis) {
            return true;
        }
        put(key, timestamp);
        return false;
    }

    /** Records {@code id} as published at {@code timestamp} (while restoring). */
    void add(CharSequence id, long timestamp) {
        put(hash(id), timestamp);
    }

    int size() {
        return count;
    }

    private int capacity() {
        return table.length >> 1;
    }

    private void put(long key, long timestamp) {
        if ((count + 1) * 2 > capacity()) {
            rehash(capacity() * 2);
        }
        int slot = find(key);
        if (table[slot] != key) {
            table[slot] = key;
            count++;
        }
        table[slot + 1] = timestamp;
        if (ringSize == ringKeys.length) {
            growRing();
        }
        int tail = (head + ringSize) & (ringKeys.length - 1);
        ringKeys[tail] = key;
        ringTimes[tail] = timestamp;
        ringSize++;
    }

    private void evict(long now) {
        while (ringSize > 0 && ringTimes[head] < now - windowMillis) {
            long key = ringKeys[head];
            int slot = find(key);
            // a later arrival of the same id keeps it
            if (table[slot] == key && table[slot + 1] == ringTimes[head]) {
                remove(slot);
            }
            head = (head + 1) & (ringKeys.length - 1);
            ringSize--;
        }
    }

    /** The table index (even) of {@code key}'s slot, or of the empty slot where it belongs. */
    private int find(long key) {
        int mask = capacity() - 1;
        int i = home(key, mask);
        while (table[2 * i] != 0 && table[2 * i] != key) {
            i = (i + 1) & mask;
        }
        return 2 * i;
    }

    private static int home(long key, int mask) {
        return (int) (key ^ (key >>> 32)) & mask;
    }

    /** Backward-shift deletion keeps linear probing correct without tombstones. */
    private void remove(int slot) {
        int mask = capacity() - 1;
        int hole = slot >> 1;
        int next = (hole + 1) & mask;
        while (table[2 * next] != 0) {
            int home = home(table[2 * next], mask);
            boolean movable = hole <= next ? home <= hole || home > next : home <= hole && home > next;
            if (movable) {
                table[2 * hole] = table[2 * next];
                table[2 * hole + 1] = table[2 * next + 1];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        table[2 * hole] = 0;
        count--;
    }

    private void rehash(int capacity) {
        long[] old = table;
        table = new long[2 * capacity];
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0) {
                int slot = find(old[i]);
                table[slot] = old[i];
                table[slot + 1] = old[i + 1];
            }
        }
    }

    private void growRing() {
        long[] k = new long[ringKeys.length * 2];
        long[] t = new long[ringKeys.length * 2];
        for (int i = 0; i < ringSize; i++) {
            k[i] = ringKeys[(head + i) & (ringKeys.length - 1)];
            t[i] = ringTimes[(head + i) & (ringKeys.length - 1)];
        }
        ringKeys = k;
        ringTimes = t;
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
