package io.backbone.catalogservice.access;

/** Who sent a request to the catalog: the principal its {@code Authorization} header proves, or null. */
public interface Authenticator {
    /**
     * The principal {@code authorization} proves, or null when it proves nobody. Throws
     * {@link LoginUnavailableException} when the service that checks logins cannot be reached (not the user's fault).
     */
    String principal(String authorization);

    /** The {@code WWW-Authenticate} challenge of a 401. */
    String challenge();
}
