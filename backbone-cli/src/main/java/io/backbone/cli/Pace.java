package io.backbone.cli;

/** A steady rate for the domain services: {@link #next} sleeps until the next slot, never catching up in a burst. */
final class Pace {
    private final long intervalNanos;
    private long next = System.nanoTime();

    /** {@code perSecond} must be positive. */
    Pace(double perSecond) {
        if (perSecond <= 0) {
            throw new UsageException("--rate must be positive, was " + perSecond);
        }
        this.intervalNanos = (long) (1_000_000_000L / perSecond);
    }

    void next() throws InterruptedException {
        next += intervalNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
