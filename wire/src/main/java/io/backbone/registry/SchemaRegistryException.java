package io.backbone.registry;

/** The registry answered with an error that retrying will not change (4xx). */
public class SchemaRegistryException extends RuntimeException {
    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        super(message + " (HTTP " + status + ", error_code " + errorCode + ")");
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    /** Confluent's error code, e.g. 40403 schema not found, 40401 subject not found, 409 incompatible. */
    public int errorCode() {
        return errorCode;
    }
}
