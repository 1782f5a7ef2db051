package io.backbone.catalogservice.access;

/**
 * The hook for a company's identity provider: verifies an {@code Authorization: Bearer} token (a JWT from the company's
 * OIDC provider, say) and names the principal it stands for, as the catalog's principals are named. Implementations
 * are found with {@link java.util.ServiceLoader} (a jar on the class path with
 * {@code META-INF/services/io.backbone.catalogservice.access.TokenVerifier}); none is shipped.
 */
public interface TokenVerifier {
    /** The principal {@code token} stands for, or null when the token is not valid (expired, wrong issuer, …). */
    String principal(String token);
}
