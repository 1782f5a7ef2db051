package io.backbone.platform;

import io.backbone.platform.registry.EmbeddedSchemaRegistry;
import io.backbone.platform.registry.RegistryUsers;
import java.util.Map;
import java.util.Set;

/** The embedded default: a KRaft broker and a schema registry whose state lives on that broker. */
public final class LocalPlatform implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;
    /** principal → password; empty when the platform runs without security. */
    private final Map<String, String> passwords;

    private final java.util.Set<String> schemaWriters = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Who may use the registry; null without security. */
    private final RegistryUsers registryUsers;

    private LocalPlatform(
            EmbeddedKafka kafka,
            EmbeddedSchemaRegistry registry,
            Map<String, String> passwords,
            RegistryUsers registryUsers) {
        this.kafka = kafka;
        this.registry = registry;
        this.passwords = passwords;
        this.registryUsers = registryUsers;
    }

    /**
     * Starts both secured: the broker authenticates with SASL/SCRAM-SHA-256 and allows nothing without an ACL; the
     * registry takes each principal's own login (basic auth, the same password as its SCRAM login), lets every
     * principal read schemas and only {@code admin} and the subjects granted by {@link #allowSchemaWrites} be changed.
     * {@code admin} and every one of {@code principals} get a random password, known only to this process and the
     * properties file it writes for that principal.
     */
    public static LocalPlatform startSecured(int registryPort, java.util.Collection<String> principals) {
        Map<String, String> passwords = new java.util.LinkedHashMap<>();
        passwords.put("admin", SecretFiles.password());
        principals.forEach(p -> passwords.put(p, SecretFiles.password()));
        Map<String, String> users = new java.util.LinkedHashMap<>(passwords);
        users.remove("admin");
        EmbeddedKafka kafka = EmbeddedKafka.startSecured(passwords.get("admin"), users);
        try {
            Map<String, Object> store = new java.util.HashMap<>(saslLogin("admin", passwords.get("admin")));
            store.put("bootstrap.servers", kafka.bootstrapServers());
            RegistryUsers registryUsers = new RegistryUsers(passwords);
            EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                    .kafka(store, "_schemas")
                    .users(registryUsers)
                    .port(registryPort)
                    .start();
            return new LocalPlatform(kafka, registry, passwords, registryUsers);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    private static Map<String, String> saslLogin(String user, String password) {
        return EmbeddedKafka.login("SCRAM-SHA-256", user, password);
    }

    /**
     * Lets {@code principal} register schemas under {@code subjects}, as a change data capture must (it derives its
     * schemas from the tables); the subjects come from the catalog (its own domain's raw streams). Its client
     * properties then let its serializer register.
     */
    public void allowSchemaWrites(String principal, Set<String> subjects) {
        schemaWriters.add(principal);
        if (registryUsers != null) {
            registryUsers.allowWrites(principal, subjects);
        }
    }

    public boolean secured() {
        return !passwords.isEmpty();
    }

    /** The principals that have a login (admin first); empty without security. */
    public java.util.Set<String> principals() {
        return passwords.keySet();
    }

    /**
     * What a client of {@code principal} adds to the bootstrap servers and registry URL: its own SASL login and its own
     * registry login, never another principal's; only admin and the principals {@link #allowSchemaWrites allowed to}
     * register schemas (services do not: the platform does). Empty without security.
     */
    public Map<String, String> clientProperties(String principal) {
        if (passwords.isEmpty()) {
            return Map.of();
        }
        String password = passwords.get(principal);
        if (password == null) {
            throw new IllegalArgumentException(
                    "no principal '" + principal + "' on this platform; known: " + passwords.keySet());
        }
        return clientProperties(principal, password, principal.equals("admin") || schemaWriters.contains(principal));
    }

    /**
     * A principal's own client settings, for any cluster secured like the embedded one: its SASL/SCRAM login and its
     * registry login with the same password; {@code registers}: whether its serializer may register schemas.
     */
    public static Map<String, String> clientProperties(String principal, String password, boolean registers) {
        Map<String, String> c = saslLogin(principal, password);
        c.put("basic.auth.credentials.source", "USER_INFO");
        c.put("basic.auth.user.info", principal + ":" + password);
        if (!registers) {
            c.put("auto.register.schemas", "false");
        }
        return c;
    }

    /**
     * Writes one Java properties file per principal ({@code <principal>.properties}, readable by the owner only) into
     * {@code dir}, for {@code --command-config}; returns principal → file.
     */
    public Map<String, java.nio.file.Path> writeClientProperties(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        Map<String, java.nio.file.Path> out = new java.util.LinkedHashMap<>();
        for (String principal : passwords.keySet()) {
            out.put(
                    principal,
                    SecretFiles.writeProperties(
                            dir.resolve(principal + ".properties"), principal, clientProperties(principal)));
        }
        return out;
    }

    /** Starts both; {@code registryPort} 0 picks a free port. */
    public static LocalPlatform start(int registryPort) {
        return start(EmbeddedKafka.start(), registryPort);
    }

    /**
     * Starts both on a kept data directory and fixed ports: stopped or killed, started again with the same arguments,
     * it serves the same topics, offsets and schemas at the same addresses.
     */
    public static LocalPlatform startPersistent(java.nio.file.Path dataDir, int kafkaPort, int registryPort) {
        return start(EmbeddedKafka.startPersistent(dataDir, kafkaPort), registryPort);
    }

    private static LocalPlatform start(EmbeddedKafka kafka, int registryPort) {
        try {
            EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                    .kafka(Map.of("bootstrap.servers", kafka.bootstrapServers()), "_schemas")
                    .port(registryPort)
                    .start();
            return new LocalPlatform(kafka, registry, Map.of(), null);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return registry.url();
    }

    @Override
    public void close() {
        registry.close();
        kafka.close();
    }
}
