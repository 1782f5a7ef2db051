package io.backbone.topology.status;

import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * What each product did per status window (tumbling, by event time): records in, valid out, duplicates, warnings,
 * dead letters by stage and by rule, foreign records skipped, and end-to-end latency (event time to the moment the
 * product record is handed to its producer). Every stream thread records into it without locks (one
 * {@link LongAdder} increment per figure); {@link StatusEmitter} closes windows once their end plus the grace
 * period has passed.
 *
 * <p>A record whose window is already closed (late beyond the grace) or whose event time lies in the future counts in
 * the window of its processing time, and as {@code late} or {@code early} there: the windows' sums always equal what
 * the product and DLQ topics received.
 */
public final class StatusWindows {
    /** Where the application passes the instance to its processors (a non-string Kafka Streams config value). */
    public static final String CONFIG = "backbone.status.windows.instance";

    private final long windowMs;
    private final Map<String, Product> products = new ConcurrentHashMap<>();

    public StatusWindows(long windowMs) {
        if (windowMs < 1) {
            throw new IllegalArgumentException("status window must be at least 1 ms, got " + windowMs);
        }
        this.windowMs = windowMs;
    }

    public long windowMs() {
        return windowMs;
    }

    public Product product(String id) {
        return products.computeIfAbsent(id, Product::new);
    }

    long start(long time) {
        return time - Math.floorMod(time, windowMs);
    }

    /** One product's open windows. */
    public final class Product {
        final String id;
        final ConcurrentSkipListMap<Long, Window> windows = new ConcurrentSkipListMap<>();
        final LongAccumulator newestEventTime = new LongAccumulator(Math::max, Long.MIN_VALUE);
        volatile long closedBefore = Long.MIN_VALUE;
        private volatile Window last;

        Product(String id) {
            this.id = id;
        }

        private Window window(long eventTime, long now) {
            long time = eventTime;
            boolean late = false;
            boolean early = false;
            if (eventTime > now) {
                time = now;
                early = true;
            }
            long start = start(time);
            if (start < closedBefore) {
                start = start(now);
                late = !early;
            }
            Window w = last;
            if (w == null || w.start != start) {
                w = windows.computeIfAbsent(start, Window::new);
                last = w;
            }
            if (late) {
                w.late.increment();
            } else if (early) {
                w.early.increment();
            }
            return w;
        }

        public void valid(long eventTime, long now) {
            newestEventTime.accumulate(eventTime);
            Window w = window(eventTime, now);
            w.in.increment();
            w.valid.increment();
            w.latency.record(now - eventTime);
        }

        public void duplicate(long eventTime, long now) {
            Window w = window(eventTime, now);
            w.in.increment();
            w.duplicates.increment();
        }

        public void warned(long eventTime, long now, List<Violation> warnings) {
            Window w = window(eventTime, now);
            w.warned.increment();
            for (Violation v : warnings) {
                w.warnedByRule.computeIfAbsent(v.rule(), k -> new LongAdder()).increment();
            }
        }

        public void deadLettered(long eventTime, long now, Stage stage, List<Violation> violations) {
            Window w = window(eventTime, now);
            w.in.increment();
            w.deadLetteredByStage
                    .computeIfAbsent(stage.code(), k -> new LongAdder())
                    .increment();
            for (Violation v : violations) {
                if (v.severity() == Severity.ERROR) {
                    w.deadLetteredByRule
                            .computeIfAbsent(v.rule(), k -> new LongAdder())
                            .increment();
                }
            }
        }

        public void foreign(long now) {
            window(now, now).foreign.increment();
        }

        /** Removes the windows that start before {@code before}; later records land in the current window. */
        List<Window> close(long before) {
            closedBefore = Math.max(closedBefore, before);
            List<Window> out = new ArrayList<>();
            for (Map.Entry<Long, Window> e : windows.headMap(before, false).entrySet()) {
                out.add(e.getValue());
                windows.remove(e.getKey());
            }
            Window l = last;
            if (l != null && l.start < before) {
                last = null;
            }
            return out;
        }

        long newestEventTime() {
            return newestEventTime.get();
        }
    }

    /** One window's figures. */
    static final class Window {
        final long start;
        final LongAdder in = new LongAdder();
        final LongAdder valid = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final LongAdder warned = new LongAdder();
        final LongAdder foreign = new LongAdder();
        final LongAdder late = new LongAdder();
        final LongAdder early = new LongAdder();
        final Map<String, LongAdder> deadLetteredByStage = new ConcurrentHashMap<>();
        final Map<String, LongAdder> deadLetteredByRule = new ConcurrentHashMap<>();
        final Map<String, LongAdder> warnedByRule = new ConcurrentHashMap<>();
        final LatencyHistogram latency = new LatencyHistogram();

        Window(long start) {
            this.start = start;
        }

        long deadLettered() {
            return deadLetteredByStage.values().stream()
                    .mapToLong(LongAdder::sum)
                    .sum();
        }
    }
}
