package io.backbone.catalogservice.access;

import java.util.List;
import java.util.ServiceLoader;

/** Basic logins checked by one authenticator, bearer tokens by the verifiers on the class path. */
public final class Logins implements Authenticator {
    private final Authenticator basic;
    private final List<TokenVerifier> verifiers;

    public Logins(Authenticator basic, List<TokenVerifier> verifiers) {
        this.basic = basic;
        this.verifiers = List.copyOf(verifiers);
    }

    /** {@code basic} and every {@link TokenVerifier} that {@link ServiceLoader} finds. */
    public static Logins withInstalledVerifiers(Authenticator basic) {
        return new Logins(
                basic,
                ServiceLoader.load(TokenVerifier.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .toList());
    }

    @Override
    public String principal(String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            for (TokenVerifier v : verifiers) {
                String p = v.principal(token);
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        return basic.principal(authorization);
    }

    @Override
    public String challenge() {
        return verifiers.isEmpty() ? basic.challenge() : basic.challenge() + ", Bearer realm=\"backbone catalog\"";
    }
}
