package io.backbone.registry;

/**
 * The registry refuses us (401, 403) or is not a Confluent-compatible registry at all (an HTML page, a 404 without
 * Confluent's {@code error_code}): an operator's fault, never a data fault. Callers stop or pause with
 * {@link #getMessage()}, which names the URL, the status and the fix; they never dead-letter a record for it.
 */
public class RegistryMisconfiguredException extends SchemaRegistryException {
    public RegistryMisconfiguredException(int status, String message) {
        super(status, status, message);
    }
}
