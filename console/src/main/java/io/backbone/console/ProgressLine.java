package io.backbone.console;

import java.io.PrintStream;

/** A single status line on stderr, rewritten in place on a terminal and printed at most every few seconds otherwise. */
public final class ProgressLine {
    private static final long CHANGED_EVERY = 2_000_000_000L;
    private static final long UNCHANGED_EVERY = 60_000_000_000L;
    private final PrintStream err;
    private final boolean terminal;
    private final java.util.function.LongSupplier nanoTime;
    private long lastPrint = Long.MIN_VALUE / 2;
    private String lastText;
    private int lastLength;

    public ProgressLine(PrintStream err) {
        this(err, System.console() != null, System::nanoTime);
    }

    ProgressLine(PrintStream err, boolean terminal, java.util.function.LongSupplier nanoTime) {
        this.err = err;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
    }

    /**
     * On a terminal, rewrites the line; elsewhere (a log file, a container's output) prints a changed text at most
     * every 2 s and an unchanged one at most every minute, so that a long-running command idling does not fill the log.
     */
    public synchronized void show(String text) {
        long now = nanoTime.getAsLong();
        if (terminal) {
            err.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
            lastLength = text.length();
            err.flush();
        } else if (now - lastPrint > (text.equals(lastText) ? UNCHANGED_EVERY : CHANGED_EVERY)) {
            err.println(text);
            lastPrint = now;
            lastText = text;
        }
    }

    public synchronized void done(String text) {
        if (terminal) {
            err.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())) + "\n");
            lastLength = 0;
        } else {
            err.println(text);
        }
        err.flush();
    }

    public static String bar(long done, long total) {
        int width = 24;
        int filled = total == 0 ? width : (int) Math.min(width, done * width / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total;
    }
}
