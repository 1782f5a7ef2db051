package io.backbone.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Files that hold a secret: created readable by their owner only before the secret is written into them. */
public final class SecretFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFiles() {}

    /** A new random password: 36 hex digits (144 bits), safe in properties files, JAAS and URLs unquoted. */
    public static String password() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Writes {@code principal}'s client settings as a Java properties file, for {@code --command-config}. */
    public static Path writeProperties(Path file, String principal, java.util.Map<String, String> settings)
            throws IOException {
        StringBuilder b = new StringBuilder("# client settings of principal " + principal + " (generated; secret)\n");
        settings.forEach((k, v) ->
                b.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return write(file, b.toString());
    }

    /** Writes {@code content} into {@code file}, replacing it, with owner-only permissions where the file system has them. */
    public static Path write(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file); // elsewhere the folder's own access control applies
        }
        Files.writeString(file, content);
        return file;
    }
}
