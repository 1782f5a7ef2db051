package io.backbone.cli;

import io.backbone.ops.ManagementServer;
import picocli.CommandLine.Option;

/** The management port of a long-running command: {@code /metrics}, {@code /health/live}, {@code /health/ready}. */
final class ManagementOptions {
    @Option(
            names = "--management-port",
            paramLabel = "PORT",
            description = "Port of /metrics (Prometheus) and /health/live, /health/ready (default 9464 for topology,"
                    + " 9465 for cdc, 9466 for catalog; 0 picks a free one; -1 serves none).")
    Integer port;

    @Option(
            names = "--management-host",
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "Address the management port binds to (default ${DEFAULT-VALUE}; 0.0.0.0 in a container).")
    String host;

    /**
     * A management server with the JVM's meters, not yet listening, for {@code --management-port} or the command's
     * {@code defaultPort}; null when {@code --management-port -1}.
     */
    ManagementServer create(int defaultPort) {
        if (port == null) {
            port = defaultPort;
        }
        if (port < -1 || port > 65535) {
            throw new UsageException("--management-port " + port + ": not a port; give 1-65535, 0 (any) or -1 (none)");
        }
        return port == -1 ? null : ManagementServer.create();
    }

    /** Starts {@code server} and says where, on standard error. */
    void start(ManagementServer server) {
        if (server == null) {
            return;
        }
        try {
            server.start(host, port);
        } catch (IllegalStateException e) {
            server.close();
            throw new UsageException(e.getMessage());
        }
        BackboneCommand.say("Management port: " + server.url() + "/metrics, " + server.url() + "/health/ready");
    }
}
