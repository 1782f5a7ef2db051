package io.backbone.catalogservice.access;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user and password from an HTTP {@code Authorization: Basic} header (RFC 7617), for the servers that check them. */
public record BasicCredentials(String user, String password) {

    /** The credentials {@code authorization} carries, or null when it is absent, not basic, or malformed. */
    public static BasicCredentials parse(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + ", password=***]";
    }
}
