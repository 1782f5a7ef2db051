package io.backbone.cli;

/** The cluster could not be reached in the time given; the message names the address, what was tried and the fix. */
final class ClusterUnreachableException extends RuntimeException {
    ClusterUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
