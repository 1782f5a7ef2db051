package io.backbone.topology.status;

import java.util.concurrent.atomic.LongAdder;

/**
 * Milliseconds in exponential buckets (1, 2, 4 … 2^40 ms, within 2× of the true value), lock-free: recording is one
 * {@link LongAdder} increment, so every stream thread can record into it. Percentiles are the upper bound of the
 * bucket that holds them.
 */
final class LatencyHistogram {
    private static final int BUCKETS = 42;
    private final LongAdder[] counts = new LongAdder[BUCKETS];

    LatencyHistogram() {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = new LongAdder();
        }
    }

    void record(long millis) {
        long v = Math.max(0, millis);
        int bucket = v == 0 ? 0 : Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(v));
        counts[bucket].increment();
    }

    long count() {
        long n = 0;
        for (LongAdder c : counts) {
            n += c.sum();
        }
        return n;
    }

    /** The value at quantile {@code q} (0..1), or -1 when nothing was recorded. */
    long percentile(double q) {
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts[i].sum();
            total += snapshot[i];
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return i == 0 ? 0 : 1L << i;
            }
        }
        return 1L << (BUCKETS - 1);
    }
}
