package io.backbone.topology.internals;

import java.nio.charset.StandardCharsets;

/**
 * The event ids a task has published within the dedup window, as 64-bit hashes (a collision among a million ids
 * has a probability around 3·10⁻⁸) in a primitive open-addressing table, evicted in arrival order once older than
 * the window: 32 bytes per id and no allocation per record.
 */
final class SeenIds {
    private final long windowMillis;
    // open addressing, linear probing; key 0 means empty (hash 0 is stored as 1)
    private long[] keys = new long[1024];
    private long[] times = new long[1024];
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
    boolean seenBefore(String id, long timestamp) {
        evict(timestamp);
        long key = hash(id);
        int slot = find(key);
        if (keys[slot] == key && Math.abs(timestamp - times[slot]) <= windowMillis) {
            return true;
        }
        put(key, timestamp);
        return false;
    }

    /** Records {@code id} as published at {@code timestamp} (while restoring). */
    void add(String id, long timestamp) {
        put(hash(id), timestamp);
    }

    int size() {
        return count;
    }

    private void put(long key, long timestamp) {
        if ((count + 1) * 2 > keys.length) {
            rehash(keys.length * 2);
        }
        int slot = find(key);
        if (keys[slot] != key) {
            keys[slot] = key;
            count++;
        }
        times[slot] = timestamp;
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
            if (keys[slot] == key && times[slot] == ringTimes[head]) {
                remove(slot);
            }
            head = (head + 1) & (ringKeys.length - 1);
            ringSize--;
        }
    }

    private int find(long key) {
        int mask = keys.length - 1;
        int slot = (int) (key ^ (key >>> 32)) & mask;
        while (keys[slot] != 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Backward-shift deletion keeps linear probing correct without tombstones. */
    private void remove(int slot) {
        int mask = keys.length - 1;
        int hole = slot;
        int next = (hole + 1) & mask;
        while (keys[next] != 0) {
            int home = (int) (keys[next] ^ (keys[next] >>> 32)) & mask;
            boolean movable = hole <= next ? home <= hole || home > next : home <= hole && home > next;
            if (movable) {
                keys[hole] = keys[next];
                times[hole] = times[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        keys[hole] = 0;
        count--;
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        long[] oldTimes = times;
        keys = new long[capacity];
        times = new long[capacity];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = find(oldKeys[i]);
                keys[slot] = oldKeys[i];
                times[slot] = oldTimes[i];
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

    /** 64-bit FNV-1a of the id's UTF-8 bytes, then mixed; never 0. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
