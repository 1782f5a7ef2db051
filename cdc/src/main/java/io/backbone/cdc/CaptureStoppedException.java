package io.backbone.cdc;

/**
 * The capture cannot go on without someone changing something: a column change the contract or the subject's
 * compatibility mode forbids, a topic it may not write. The message is one line naming what and the fix.
 */
public final class CaptureStoppedException extends RuntimeException {
    public CaptureStoppedException(String message) {
        super(message);
    }

    public CaptureStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
