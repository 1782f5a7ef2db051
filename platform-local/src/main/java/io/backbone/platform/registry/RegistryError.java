package io.backbone.platform.registry;

/** A request the registry refuses, with Confluent's HTTP status and error code. */
final class RegistryError extends RuntimeException {
    final int status;
    final int code;

    RegistryError(int status, int code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static RegistryError subjectNotFound(String subject) {
        return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryError versionNotFound(String version) {
        return new RegistryError(404, 40402, "Version " + version + " not found.");
    }
}
