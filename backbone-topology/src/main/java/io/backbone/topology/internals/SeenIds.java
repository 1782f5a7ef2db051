package io.backbone.topology.internals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The event ids a task has published within the dedup window, as 64-bit hashes (a collision among a million ids
 * has a probability around 3·10⁻⁸), evicted in arrival order once older than the window.
 */
final class SeenIds {
    private final long windowMillis;
    private final Map<Long, Long> lastSeen = new HashMap<>();
    private final ArrayDeque<long[]> order = new ArrayDeque<>();

    SeenIds(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** Whether {@code id} was seen within the window before {@code timestamp}; records it if not. */
    boolean seenBefore(String id, long timestamp) {
        evict(timestamp);
        long hash = hash(id);
        Long previous = lastSeen.get(hash);
        if (previous != null && Math.abs(timestamp - previous) <= windowMillis) {
            return true;
        }
        add(hash, timestamp);
        return false;
    }

    /** Records {@code id} as published at {@code timestamp} (while restoring). */
    void add(String id, long timestamp) {
        add(hash(id), timestamp);
    }

    private void add(long hash, long timestamp) {
        lastSeen.put(hash, timestamp);
        order.addLast(new long[] {hash, timestamp});
    }

    private void evict(long now) {
        while (!order.isEmpty() && order.peekFirst()[1] < now - windowMillis) {
            long[] oldest = order.pollFirst();
            lastSeen.remove(oldest[0], oldest[1]);
        }
    }

    int size() {
        return lastSeen.size();
    }

    /** 64-bit FNV-1a of the id's UTF-8 bytes, mixed. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
