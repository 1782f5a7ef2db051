package io.backbone.cli;

/** The backbone stopped (or never started) for a reason its message states in one line. */
final class BackboneStoppedException extends RuntimeException {
    BackboneStoppedException(String message) {
        super(message);
    }
}
