package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.access.AccessModel;
import io.backbone.catalog.CatalogSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets of a compose deployment: a file per principal with its own logins and no other principal's password;
 * only the platform's own files (the broker's and the registry's) hold the admin password.
 */
class SecretsCommandTest {
    @Test
    void eachPrincipalsFileHoldsItsOwnSecretOnlyAndIsReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("secrets");
        CommandLineBehaviourTest.Run r = CommandLineBehaviourTest.run("secrets", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();

        Set<String> principals =
                AccessModel.load(CatalogSource.classpath()).principals().keySet();
        Map<String, String> own = new HashMap<>();
        for (String p : principals) {
            Path file = out.resolve(p + ".properties");
            Set<String> secrets = PrincipalSecretsIT.secrets(file);
            assertThat(secrets).as(p).hasSize(1); // its SCRAM and its registry login are one password
            own.put(p, secrets.iterator().next());
            assertThat(Files.readString(file)).contains("username=\"" + p + "\"", "basic.auth.user.info=" + p + ":");
        }
        own.put("admin", Files.readString(out.resolve("kafka-admin.password")));
        assertThat(new java.util.HashSet<>(own.values())).hasSize(own.size());
        Set<String> platformFiles =
                Set.of("kafka-admin.password", "registry-users.properties", "registry-jaas.conf", "admin.properties");
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                        .as(name)
                        .isEqualTo("rw-------");
                if (platformFiles.contains(name)) {
                    continue;
                }
                String text = Files.readString(f);
                own.forEach((principal, secret) -> {
                    if (!name.equals(principal + ".properties")) {
                        assertThat(text)
                                .as(name + " holds the secret of " + principal)
                                .doesNotContain(secret);
                    }
                });
            }
        }
        // a second run keeps what exists, unless forced
        CommandLineBehaviourTest.Run again = CommandLineBehaviourTest.run("secrets", out.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("holds secrets already").contains("--force");
    }
}
