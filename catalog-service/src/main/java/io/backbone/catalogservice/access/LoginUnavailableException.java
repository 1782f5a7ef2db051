package io.backbone.catalogservice.access;

/** The service that checks logins (the broker, an identity provider) did not answer: a 503, not a 401. */
public class LoginUnavailableException extends RuntimeException {
    public LoginUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
