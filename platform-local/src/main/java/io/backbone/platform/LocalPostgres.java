package io.backbone.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A real PostgreSQL server (14, from Maven Central's embedded binaries) in a child process, configured for logical
 * replication so that change data capture can read its write-ahead log. It listens on 127.0.0.1 only and trusts
 * local connections as user {@code postgres}: a development database, not a production one.
 */
public final class LocalPostgres implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private final EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /** Starts a server on {@code port} (0: any free one) with a fresh data directory, deleted on close. */
    public static LocalPostgres start(int port) {
        return start(port, null);
    }

    /**
     * Starts a server on {@code port} with its data in {@code dataDirectory}, kept on close so that a server started
     * again on the same directory finds its tables, replication slots and write-ahead log (null: a fresh directory,
     * deleted on close).
     */
    public static LocalPostgres start(int port, Path dataDirectory) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "8")
                .setServerConfig("max_wal_senders", "8")
                .setRegisterShutdownHook(true);
        if (port > 0) {
            builder.setPort(port);
        }
        if (dataDirectory != null) {
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        try {
            return new LocalPostgres(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** A new connection as {@link #USER}; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, "");
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
