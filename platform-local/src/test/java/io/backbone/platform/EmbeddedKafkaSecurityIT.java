package io.backbone.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The secured broker lets no unauthenticated client in on either listener: its client listener takes SASL/SCRAM, its
 * controller listener SASL/PLAIN for the node's own admin login (there is no anonymous super user), and both listen on
 * 127.0.0.1 only.
 */
class EmbeddedKafkaSecurityIT {
    static final String ADMIN = "admin-" + System.nanoTime();

    static Map<String, Object> plain(String user, String password) {
        return new HashMap<>(EmbeddedKafka.login("PLAIN", user, password));
    }

    static Map<String, Object> controllers(EmbeddedKafka kafka, Map<String, Object> security) {
        Map<String, Object> c = new HashMap<>(security);
        c.put("bootstrap.controllers", "127.0.0.1:" + kafka.controllerPort());
        c.put("request.timeout.ms", 5000);
        c.put("default.api.timeout.ms", 8000);
        return c;
    }

    @Test
    void theControllerListenerRefusesAnonymousAndWrongLoginsAndTheListenersAreOnLoopbackOnly() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startSecured(ADMIN, Map.of("orders-service", "pw-orders"))) {
            // the node's own admin login is accepted: the port is the controller's
            try (Admin admin = Admin.create(controllers(kafka, plain("admin", ADMIN)))) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .isNotEmpty();
            }
            // anonymous (PLAINTEXT) and a wrong password are not
            try (Admin anonymous = Admin.create(controllers(kafka, Map.of()))) {
                assertThatThrownBy(() -> anonymous.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .isNotNull();
            }
            try (Admin wrong = Admin.create(controllers(kafka, plain("admin", "guess")))) {
                assertThatThrownBy(() -> wrong.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
            }
            // a domain principal's password is not a controller login either
            try (Admin domain = Admin.create(controllers(kafka, plain("orders-service", "pw-orders")))) {
                assertThatThrownBy(() -> domain.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
            }
            int client = Integer.parseInt(
                    kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1));
            List<InetAddress> external = NetworkInterface.networkInterfaces()
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    .toList();
            for (InetAddress address : external) {
                for (int port : List.of(client, kafka.controllerPort())) {
                    try (Socket s = new Socket()) {
                        assertThatThrownBy(() -> s.connect(new InetSocketAddress(address, port), 2000))
                                .as("port %d on %s", port, address)
                                .isInstanceOf(java.io.IOException.class);
                    }
                }
            }
        }
    }
}
