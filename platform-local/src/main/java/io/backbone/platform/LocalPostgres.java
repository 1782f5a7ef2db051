package io.backbone.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A real PostgreSQL server (14, from Maven Central's embedded binaries) in a child process, configured for logical
 * replication so that change data capture can read its write-ahead log. It listens on 127.0.0.1 only, and every
 * connection, local ones included, logs in with SCRAM-SHA-256 as {@code postgres} with a password generated when the
 * data directory is made, known to this process and the password file it writes ({@link #writePasswordFile}).
 */
public final class LocalPostgres implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private final EmbeddedPostgres server;
    private final String password;

    private LocalPostgres(EmbeddedPostgres server, String password) {
        this.server = server;
        this.password = password;
    }

    /** Starts a server on {@code port} (0: any free one) with a fresh data directory, deleted on close. */
    public static LocalPostgres start(int port) {
        return start(port, null);
    }

    /**
     * Starts a server on {@code port} with its data in {@code dataDirectory}, kept on close so that a server started
     * again on the same directory finds its tables, replication slots and write-ahead log (null: a fresh directory,
     * deleted on close). A kept directory's password is kept beside it, in {@code <directory>.password}.
     */
    public static LocalPostgres start(int port, Path dataDirectory) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "8")
                .setServerConfig("max_wal_senders", "8")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setRegisterShutdownHook(true);
        if (port > 0) {
            builder.setPort(port);
        }
        Path kept =
                dataDirectory == null ? null : dataDirectory.resolveSibling(dataDirectory.getFileName() + ".password");
        Path pwfile = null;
        try {
            String password;
            if (kept != null && Files.isRegularFile(kept) && isInitialised(dataDirectory)) {
                password = Files.readString(kept).strip();
            } else {
                password = SecretFiles.password();
                // initdb takes the superuser's password from a file and requires it for every connection (its -A
                // trust, which the embedded builder passes, is overridden per connection type by the later options)
                pwfile = SecretFiles.write(Files.createTempFile("backbone-pg", ".pw"), password);
                builder.setLocaleConfig("auth-local", "scram-sha-256")
                        .setLocaleConfig("auth-host", "scram-sha-256")
                        .setLocaleConfig("pwfile", pwfile.toString());
                if (kept != null) {
                    SecretFiles.write(kept, password);
                }
            }
            builder.setConnectConfig("password", password);
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            return new LocalPostgres(builder.start(), password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
        } finally {
            if (pwfile != null) {
                try {
                    Files.deleteIfExists(pwfile);
                } catch (IOException e) {
                    // a temporary file readable by its owner only; the OS cleans it up with the rest
                }
            }
        }
    }

    private static boolean isInitialised(Path dataDirectory) {
        return Files.isRegularFile(dataDirectory.resolve("PG_VERSION"));
    }

    public int port() {
        return server.getPort();
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** The password of {@link #USER}; never print it, give {@link #writePasswordFile} to other processes. */
    public String password() {
        return password;
    }

    /** Writes the password into {@code dir}/postgres.password (readable by its owner only), for --db-password-file. */
    public Path writePasswordFile(Path dir) throws IOException {
        Files.createDirectories(dir);
        return SecretFiles.write(dir.resolve("postgres.password"), password);
    }

    /** A new connection as {@link #USER}; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, password);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }
}
