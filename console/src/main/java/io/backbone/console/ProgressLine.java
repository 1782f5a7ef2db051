package io.backbone.console;

import java.io.PrintStream;

/** A single status line on stderr, rewritten in place on a terminal and printed at most every few seconds otherwise. */
public final class ProgressLine {
    private final PrintStream err;
    private final boolean terminal;
    private long lastPrint;
    private int lastLength;

    public ProgressLine(PrintStream err) {
        this.err = err;
        this.terminal = System.console() != null;
    }

    public synchronized void show(String text) {
        long now = System.nanoTime();
        if (terminal) {
            err.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
            lastLength = text.length();
            err.flush();
        } else if (now - lastPrint > 2_000_000_000L) {
            err.println(text);
            lastPrint = now;
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
