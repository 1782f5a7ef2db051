package io.backbone.topology.internals;

/** The cause chain of a failure, searched for the kind that decides what to do with it. */
public final class Causes {
    private Causes() {}

    /** The first throwable of {@code type} in {@code e}'s cause chain ({@code e} included), or null. */
    public static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Whether {@code e}'s cause chain holds a throwable of {@code type}. */
    public static boolean has(Throwable e, Class<? extends Throwable> type) {
        return find(e, type) != null;
    }
}
