package io.backbone.topology.status;

import java.util.concurrent.atomic.LongAdder;

/**
 * Milliseconds in logarithmic buckets with four steps per power of two (a value is reported at most 25 % above
 * itself; 0–3 ms exactly), up to about 2^42 ms, lock-free: recording is one {@link LongAdder} increment, so every
 * stream thread can record into it. Percentiles are the upper bound of the bucket that holds them.
 */
final class LatencyHistogram {
    private static final int BUCKETS = 4 * 42;
    private final LongAdder[] counts = new LongAdder[BUCKETS];

    LatencyHistogram() {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = new LongAdder();
        }
    }

    static int index(long millis) {
        long v = Math.max(0, millis);
        if (v < 4) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v);
        int mantissa = (int) ((v >>> (exp - 2)) & 3);
        return Math.min(BUCKETS - 1, 4 * (exp - 1) + mantissa);
    }

    /** The largest value bucket {@code index} holds. */
    static long upperBound(int index) {
        if (index < 4) {
            return index;
        }
        int exp = index / 4 + 1;
        int mantissa = index % 4;
        return ((4L + mantissa + 1) << (exp - 2)) - 1;
    }

    void record(long millis) {
        counts[index(millis)].increment();
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
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(BUCKETS - 1);
    }
}
