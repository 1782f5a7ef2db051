package io.backbone.cli;

/** A bad flag or argument: the message names it and says how to fix it. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
