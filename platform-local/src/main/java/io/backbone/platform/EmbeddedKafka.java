package io.backbone.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.metadata.UserScramCredentialRecord;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.metadata.bootstrap.BootstrapDirectory;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.ApiMessageAndVersion;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in KRaft mode (one combined broker+controller) running in this JVM, listening on
 * 127.0.0.1 only (its client and its controller listener).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private final kafka.server.KafkaRaftServer server;
    private final String bootstrap;
    private final int controllerPort;
    /** The temporary directory deleted on {@link #close()}; null for a broker on a kept directory. */
    private final Path temporary;

    private EmbeddedKafka(kafka.server.KafkaRaftServer server, String bootstrap, int controllerPort, Path temporary) {
        this.server = server;
        this.bootstrap = bootstrap;
        this.controllerPort = controllerPort;
        this.temporary = temporary;
    }

    /**
     * The client settings of a SASL login over plaintext: {@code mechanism} {@code PLAIN} or {@code SCRAM-SHA-256},
     * {@code user} and {@code password}.
     */
    public static Map<String, String> login(String mechanism, String user, String password) {
        String module = mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        Map<String, String> c = new LinkedHashMap<>();
        c.put("security.protocol", "SASL_PLAINTEXT");
        c.put("sasl.mechanism", mechanism);
        c.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        return c;
    }

    /** The controller listener's port on 127.0.0.1 (the node's own; clients use {@link #bootstrapServers()}). */
    public int controllerPort() {
        return controllerPort;
    }

    /**
     * A broker whose log directory and port outlive it: started on {@code dataDir} (formatted the first time) and
     * {@code port} on 127.0.0.1, it can be stopped, killed and started again on the same directory and port, and
     * clients reconnect to the same address and find every committed record, offset and transaction. Plaintext, no
     * authorization: a development broker for restarts, not a secured one.
     */
    public static EmbeddedKafka startPersistent(Path dataDir, int port) {
        try {
            return startNode(dataDir, port, Map.of(), Map.of(), null);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "the Kafka broker on " + dataDir + " did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** A free port on 127.0.0.1 (a small race with other processes until the broker binds it). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Formats {@code dataDir} the first time (with SCRAM-SHA-256 credentials for {@code scramUsers} in the cluster's
     * bootstrap metadata), starts the node on {@code port} (0: a free one) and waits until it accepts clients. With
     * {@code scramUsers} the client listener takes SASL/SCRAM and the controller listener SASL/PLAIN for the broker's
     * own {@code admin} login, so no listener lets an unauthenticated client in.
     */
    private static EmbeddedKafka startNode(
            Path dataDir, int port, Map<String, String> brokerSettings, Map<String, String> scramUsers, Path temporary)
            throws Exception {
        long started = System.nanoTime();
        boolean sasl = !scramUsers.isEmpty();
        Path logDir = dataDir.resolve("kafka-logs");
        Files.createDirectories(logDir);
        int clientPort = port == 0 ? freePort() : port;
        int controllerPort = freePort();
        String listener = sasl ? "EXTERNAL" : "PLAINTEXT";
        String protocol = sasl ? "SASL_PLAINTEXT" : "PLAINTEXT";
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", listener + "://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", listener + "://127.0.0.1:" + clientPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", listener);
        props.put("listener.security.protocol.map", listener + ":" + protocol + ",CONTROLLER:" + protocol);
        props.put("log.dirs", logDir.toString());
        if (sasl) {
            String admin = scramUsers.get("admin");
            props.put("sasl.mechanism.controller.protocol", "PLAIN");
            props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
            props.put(
                    "listener.name.controller.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\""
                            + admin + "\" user_admin=\"" + admin + "\";");
        }
        BROKER_DEFAULTS.forEach(props::put);
        props.putAll(brokerSettings);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(logDir, scramUsers);
        }
        kafka.server.KafkaRaftServer server = new kafka.server.KafkaRaftServer(
                kafka.server.KafkaConfig.fromProps(props, false), org.apache.kafka.common.utils.Time.SYSTEM);
        server.startup();
        String bootstrap = "127.0.0.1:" + clientPort;
        Map<String, Object> client = new java.util.HashMap<>(Map.of("bootstrap.servers", bootstrap));
        if (sasl) {
            client.putAll(login("SCRAM-SHA-256", "admin", scramUsers.get("admin")));
        }
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(client)) {
            admin.describeCluster().nodes().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
        LOG.info(
                "Kafka (KRaft) ready at {} on {} in {} ms",
                bootstrap,
                logDir,
                (System.nanoTime() - started) / 1_000_000);
        return new EmbeddedKafka(server, bootstrap, controllerPort, temporary);
    }

    /** Formats a fresh log directory, quietly, with SCRAM credentials for {@code scramUsers} added to its bootstrap. */
    private static void format(Path logDir, Map<String, String> scramUsers) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        new org.apache.kafka.metadata.storage.Formatter()
                .setPrintStream(quiet)
                .setNodeId(1)
                .setClusterId(org.apache.kafka.common.Uuid.randomUuid().toString())
                .setDirectories(java.util.List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setControllerListenerName("CONTROLLER")
                .run();
        if (!scramUsers.isEmpty()) {
            BootstrapDirectory directory = new BootstrapDirectory(logDir.toString());
            java.util.List<ApiMessageAndVersion> records =
                    new java.util.ArrayList<>(directory.read().records());
            records.addAll(scramCredentials(scramUsers));
            directory.writeBinaryFile(BootstrapMetadata.fromRecords(records, "backbone"));
        }
    }

    /** Broker settings for a one-node development cluster, for both kinds of broker. */
    private static final Map<String, String> BROKER_DEFAULTS = brokerDefaults();

    private static Map<String, String> brokerDefaults() {
        Map<String, String> broker = new LinkedHashMap<>();
        broker.put("auto.create.topics.enable", "false");
        broker.put("num.partitions", "4");
        broker.put("offsets.topic.replication.factor", "1");
        broker.put("offsets.topic.num.partitions", "4");
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        broker.put("transaction.state.log.num.partitions", "4");
        broker.put("group.initial.rebalance.delay.ms", "0");
        broker.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        broker.put("unstable.api.versions.enable", "false");
        broker.put("unstable.feature.versions.enable", "false");
        return java.util.Collections.unmodifiableMap(broker);
    }

    /** Formats fresh log directories, starts the node and waits until the broker accepts clients. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /** As {@link #start()}, with extra broker settings (e.g. an authorizer). */
    public static EmbeddedKafka start(Map<String, String> brokerSettings) {
        return start(brokerSettings, Map.of());
    }

    private static EmbeddedKafka start(Map<String, String> brokerSettings, Map<String, String> scramUsers) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("backbone-kafka-");
            return startNode(dir, 0, brokerSettings, scramUsers, dir);
        } catch (Exception e) {
            deleteQuietly(dir);
            throw new IllegalStateException("the embedded Kafka broker did not start: " + e.getMessage(), e);
        }
    }

    /**
     * A broker that authenticates clients with SASL/SCRAM-SHA-256 and authorizes them with the KRaft
     * {@code StandardAuthorizer} ({@code allow.everyone.if.no.acl.found=false}): only ACLs let anyone in. {@code admin}
     * is the super user; its password is what the broker itself logs in with. {@code users} (name → password) get
     * SCRAM credentials from the start, written into the cluster's bootstrap metadata.
     */
    public static EmbeddedKafka startSecured(String adminPassword, Map<String, String> users) {
        Map<String, String> broker = new LinkedHashMap<>();
        broker.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
        broker.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-256");
        broker.put(
                "listener.name.external.scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\""
                        + adminPassword + "\";");
        broker.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // the controller listener authenticates the node's own admin login (SASL/PLAIN): no anonymous super user
        broker.put("super.users", "User:admin");
        broker.put("allow.everyone.if.no.acl.found", "false");
        Map<String, String> everyone = new LinkedHashMap<>(users);
        everyone.put("admin", adminPassword);
        return start(broker, everyone);
    }

    /** SCRAM-SHA-256 credentials for {@code users} (name → password), as bootstrap metadata records. */
    private static java.util.List<ApiMessageAndVersion> scramCredentials(Map<String, String> users) throws Exception {
        java.util.List<ApiMessageAndVersion> records = new java.util.ArrayList<>();
        ScramFormatter formatter =
                new ScramFormatter(org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_256);
        for (Map.Entry<String, String> u : users.entrySet()) {
            ScramCredential c = formatter.generateCredential(u.getValue(), 8192);
            records.add(new ApiMessageAndVersion(
                    new UserScramCredentialRecord()
                            .setName(u.getKey())
                            .setMechanism(org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_256.type())
                            .setSalt(c.salt())
                            .setStoredKey(c.storedKey())
                            .setServerKey(c.serverKey())
                            .setIterations(c.iterations()),
                    (short) 0));
        }
        return records;
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** Stops the broker; deletes its log directories unless it was started on a kept one. */
    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (Exception e) {
            LOG.warn("Embedded Kafka did not shut down cleanly: {}", e.getMessage());
        }
        deleteQuietly(temporary);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}
