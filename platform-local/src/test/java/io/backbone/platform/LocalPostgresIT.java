package io.backbone.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL trusts no connection: its superuser logs in with its generated password only. */
class LocalPostgresIT {
    @Test
    void everyConnectionNeedsTheGeneratedPasswordAndAKeptDirectoryKeepsIt(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        String password;
        try (LocalPostgres pg = LocalPostgres.start(0, data)) {
            password = pg.password();
            assertThat(password).hasSizeGreaterThanOrEqualTo(32);
            try (Connection c = pg.connect();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (id int)");
            }
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.USER, ""))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.USER, "postgres"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            Path file = pg.writePasswordFile(dir.resolve("secrets"));
            assertThat(Files.readString(file)).isEqualTo(password);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
        try (LocalPostgres again = LocalPostgres.start(0, data);
                Connection c = again.connect();
                Statement s = c.createStatement()) {
            assertThat(again.password()).isEqualTo(password);
            assertThat(s.executeQuery("SELECT count(*) FROM kept").next()).isTrue();
        }
    }
}
