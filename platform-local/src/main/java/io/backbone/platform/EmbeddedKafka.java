package io.backbone.platform;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.metadata.UserScramCredentialRecord;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.ApiMessageAndVersion;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real Apache Kafka broker in KRaft mode (one combined broker+controller) running in this JVM. */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private final KafkaClusterTestKit cluster;
    /** A broker on a kept log directory and fixed ports ({@link #startPersistent}), else null. */
    private final kafka.server.KafkaRaftServer server;

    private final String bootstrap;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.server = null;
        this.bootstrap = null;
    }

    private EmbeddedKafka(kafka.server.KafkaRaftServer server, String bootstrap) {
        this.cluster = null;
        this.server = server;
        this.bootstrap = bootstrap;
    }

    /**
     * A broker whose log directory and port outlive it: started on {@code dataDir} (formatted the first time) and
     * {@code port} on 127.0.0.1, it can be stopped, killed and started again on the same directory and port, and
     * clients reconnect to the same address and find every committed record, offset and transaction. Plaintext, no
     * authorization: a development broker for restarts, not a secured one.
     */
    public static EmbeddedKafka startPersistent(java.nio.file.Path dataDir, int port) {
        long started = System.nanoTime();
        try {
            java.nio.file.Path logDir = dataDir.resolve("kafka-logs");
            Files.createDirectories(logDir);
            int controllerPort;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                controllerPort = s.getLocalPort();
            }
            java.util.Properties props = new java.util.Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("log.dirs", logDir.toString());
            BROKER_DEFAULTS.forEach(props::put);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
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
            }
            kafka.server.KafkaRaftServer server = new kafka.server.KafkaRaftServer(
                    kafka.server.KafkaConfig.fromProps(props, false), org.apache.kafka.common.utils.Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + port;
            try (org.apache.kafka.clients.admin.Admin admin =
                    org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.describeCluster().nodes().get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            LOG.info(
                    "Kafka (KRaft) ready at {} on {} in {} ms",
                    bootstrap,
                    logDir,
                    (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedKafka(server, bootstrap);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "the Kafka broker on " + dataDir + " did not start on port " + port + ": " + e.getMessage(), e);
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
        long started = System.nanoTime();
        boolean sasl = !scramUsers.isEmpty();
        try {
            TestKitNodes.Builder nodes = new TestKitNodes.Builder();
            if (sasl) {
                nodes.setBootstrapMetadata(withScramUsers(scramUsers));
            }
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.setBrokerSecurityProtocol(
                            sasl
                                    ? org.apache.kafka.common.security.auth.SecurityProtocol.SASL_PLAINTEXT
                                    : org.apache.kafka.common.security.auth.SecurityProtocol.PLAINTEXT)
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    // the test kit defaults to unreleased metadata and features; run what production runs
                    .setBootstrapMetadata(
                            sasl
                                    ? withScramUsers(scramUsers)
                                    : BootstrapMetadata.fromVersion(MetadataVersion.latestProduction(), "backbone"))
                    // our own directory: the test kit's default one is deleted by a JVM shutdown hook that races
                    // the broker's own shutdown, and a broker whose log directory vanishes halts the JVM with
                    // exit code 1 (seen as a failed test fork after every test had passed)
                    .setBaseDirectory(Files.createTempDirectory("backbone-kafka-"))
                    .build());
            Map<String, Object> broker = new LinkedHashMap<>(BROKER_DEFAULTS);
            broker.putAll(brokerSettings);
            broker.forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.build();
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
            EmbeddedKafka kafka = new EmbeddedKafka(cluster);
            LOG.info(
                    "Embedded Kafka (KRaft) ready at {} in {} ms",
                    kafka.bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000);
            return kafka;
        } catch (Exception e) {
            throw new IllegalStateException("the embedded Kafka broker did not start: " + e.getMessage(), e);
        }
    }

    /** The storage formatter prints its progress to stdout, which belongs to the commands' own output. */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        synchronized (System.class) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                cluster.format();
            } finally {
                System.setOut(stdout);
            }
        }
        LOG.debug(
                "Formatted KRaft storage: {}",
                captured.toString(StandardCharsets.UTF_8).trim());
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
        // the controller listener is the node's own (PLAINTEXT, principal ANONYMOUS); clients use the SASL one
        broker.put("super.users", "User:admin;User:ANONYMOUS");
        broker.put("allow.everyone.if.no.acl.found", "false");
        Map<String, String> everyone = new LinkedHashMap<>(users);
        everyone.put("admin", adminPassword);
        return start(broker, everyone);
    }

    /** The production metadata version, and SCRAM-SHA-256 credentials for {@code users} (name → password). */
    private static BootstrapMetadata withScramUsers(Map<String, String> users) throws Exception {
        java.util.List<ApiMessageAndVersion> records =
                new java.util.ArrayList<>(BootstrapMetadata.fromVersion(MetadataVersion.latestProduction(), "backbone")
                        .records());
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
        return BootstrapMetadata.fromRecords(records, "backbone");
    }

    public String bootstrapServers() {
        return cluster != null ? cluster.bootstrapServers() : bootstrap;
    }

    /** Stops the broker; deletes its log directories unless it was started on a kept one. */
    @Override
    public void close() {
        try {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
                return;
            }
            cluster.close();
        } catch (Exception e) {
            LOG.warn("Embedded Kafka did not shut down cleanly: {}", e.getMessage());
        }
    }
}
