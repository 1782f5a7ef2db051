package io.backbone.registry;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The registry could not be reached or answered 5xx after every retry. Transient by nature: callers retry or fail
 * the task, they never dead-letter a record because of it.
 */
public class RegistryUnavailableException extends RetriableException {
    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
