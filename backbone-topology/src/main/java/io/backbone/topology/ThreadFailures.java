package io.backbone.topology;

import io.backbone.registry.RegistryMisconfiguredException;
import io.backbone.topology.internals.Causes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;

/**
 * Decides whether a failed stream thread is replaced or the application stops: transient failures are always
 * retried, a missing source topic stops at once (replacing the thread cannot create it), and any other failure
 * is retried at most {@code max} times within {@code window}, so a poison the handlers miss cannot crash-loop.
 */
final class ThreadFailures {
    enum Verdict {
        REPLACE,
        STOP
    }

    private final int max;
    private final long windowNanos;
    private final Deque<Long> recent = new ArrayDeque<>();

    ThreadFailures(int max, Duration window) {
        this.max = max;
        this.windowNanos = window.toNanos();
    }

    synchronized Verdict failed(Throwable e, long nowNanos) {
        if (isTransient(e)) {
            return Verdict.REPLACE;
        }
        if (Causes.has(e, MissingSourceTopicException.class)) {
            return Verdict.STOP;
        }
        recent.addLast(nowNanos);
        while (!recent.isEmpty() && nowNanos - recent.peekFirst() > windowNanos) {
            recent.removeFirst();
        }
        return recent.size() > max ? Verdict.STOP : Verdict.REPLACE;
    }

    String why(Throwable e) {
        return Causes.has(e, MissingSourceTopicException.class)
                ? "a source topic is missing: run 'backbone provision' (or create the topic), then start again"
                : "it failed more than " + max + " times within "
                        + Duration.ofNanos(windowNanos).toMinutes() + " minutes for a reason that is not transient";
    }

    /**
     * Transient, or an operator's fault that the operator will fix (a registry that refuses us or is not one): both
     * are retried for as long as they last, never counted as a crash loop.
     */
    static boolean isTransient(Throwable e) {
        return Causes.has(e, RetriableException.class) || Causes.has(e, RegistryMisconfiguredException.class);
    }

    /** The innermost cause, in words: what an operator needs in the one line that reports it. */
    static String root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
