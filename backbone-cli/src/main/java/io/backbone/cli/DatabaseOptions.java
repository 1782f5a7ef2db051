package io.backbone.cli;

import io.backbone.cdc.CdcCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import picocli.CommandLine.Option;

/** Where a domain's PostgreSQL database is and how to log in; the password from a file or the environment only. */
final class DatabaseOptions {
    static final String URL_ENV = "BACKBONE_JDBC_URL";
    static final String PASSWORD_ENV = "BACKBONE_DB_PASSWORD";

    @Option(
            names = "--jdbc-url",
            paramLabel = "URL",
            description = "The database, jdbc:postgresql://<host>:<port>/<database> (default: env " + URL_ENV
                    + ", which './backbone dev-cluster' prints for its embedded PostgreSQL).")
    String jdbcUrl;

    @Option(
            names = "--db-user",
            defaultValue = "postgres",
            description =
                    "Database user (default ${DEFAULT-VALUE}); the capture's user needs the REPLICATION attribute.")
    String user;

    @Option(
            names = "--db-password-file",
            paramLabel = "FILE",
            description = "File holding the database password (else env " + PASSWORD_ENV + "; none: no password).")
    Path passwordFile;

    String url() {
        String url = jdbcUrl != null ? jdbcUrl : System.getenv(URL_ENV);
        if (url == null || url.isBlank()) {
            throw new UsageException("no database: pass --jdbc-url jdbc:postgresql://<host>:<port>/<database> or set "
                    + URL_ENV + " (./backbone dev-cluster prints it for its embedded PostgreSQL)");
        }
        return url;
    }

    String password() {
        if (passwordFile != null) {
            try {
                return Files.readString(passwordFile).strip();
            } catch (IOException e) {
                throw new UsageException("--db-password-file " + passwordFile + ": cannot read it (" + e.getMessage()
                        + "); give a readable file holding the password only");
            }
        }
        String env = System.getenv(PASSWORD_ENV);
        return env == null ? "" : env;
    }

    CdcCapture.Database database() {
        try {
            return CdcCapture.Database.fromJdbcUrl(url(), user, password());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** A connection, or a one-line UsageException naming the database and the cause. */
    Connection connect() {
        String url = url();
        try {
            return DriverManager.getConnection(url, user, password());
        } catch (SQLException e) {
            throw new UsageException("cannot connect to " + url + " as " + user + ": "
                    + e.getMessage().replace('\n', ' ') + "; check --jdbc-url, --db-user and the password");
        }
    }
}
