package io.backbone.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What /health/ready says of the registry, on the unauthenticated management port, never holds a password. */
class RegistryProbeTest {
    @Test
    void aPasswordWrittenInTheRegistryUrlIsRedactedInTheHealthDetail() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        RegistryProbe probe = new RegistryProbe(
                Map.of("schema.registry.url", "http://ops:s3cr3t-pw@127.0.0.1:" + closedPort + "/apis/ccompat/v7"));

        HealthCheck.Result result = probe.get();

        assertThat(result.up()).isFalse();
        assertThat(result.detail())
                .startsWith("http://ops:***@127.0.0.1:" + closedPort + "/apis/ccompat/v7: ")
                .doesNotContain("s3cr3t-pw");
    }
}
