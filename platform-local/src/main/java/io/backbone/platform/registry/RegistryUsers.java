package io.backbone.platform.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use the registry: each principal logs in with its own password (HTTP basic); every authenticated principal
 * may read schemas, and only {@code admin} and the subjects granted to a principal may be changed by it.
 */
public final class RegistryUsers {
    /** The principal that may change every subject and the global config. */
    public static final String ADMIN = "admin";

    private final Map<String, byte[]> passwords = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> writable = new ConcurrentHashMap<>();
    /** Compared against when the user is unknown, so an unknown name takes as long as a wrong password. */
    private final byte[] absent = new byte[32];

    /** Principal → password; {@value #ADMIN} among them. */
    public RegistryUsers(Map<String, String> passwords) {
        passwords.forEach((user, password) -> this.passwords.put(user, password.getBytes(StandardCharsets.UTF_8)));
    }

    /** Lets {@code principal} register, configure and delete {@code subjects} (added to what it had). */
    public void allowWrites(String principal, Set<String> subjects) {
        writable.computeIfAbsent(principal, p -> ConcurrentHashMap.newKeySet()).addAll(subjects);
    }

    /** The principal an {@code Authorization} header proves, or null. Passwords are compared in constant time. */
    public String authenticate(String authorization) {
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
        if (colon < 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        byte[] given = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        byte[] expected = passwords.get(user);
        boolean match = MessageDigest.isEqual(expected == null ? absent : expected, given);
        return match && expected != null ? user : null;
    }

    /** Whether {@code principal} may change {@code subject}; a null subject is the global config (admin only). */
    public boolean mayWrite(String principal, String subject) {
        if (ADMIN.equals(principal)) {
            return true;
        }
        return subject != null && writable.getOrDefault(principal, Set.of()).contains(subject);
    }
}
