package io.backbone.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedded registry answers like Confluent's over raw HTTP, including when things go wrong. */
class EmbeddedRegistryHttpTest extends RegistryHttpTest {
    @Test
    void aMalformedJsonBodyGetsA400NamingThePlaceItBreaks() throws Exception {
        HttpResponse<String> r = send("POST", "/subjects/s-value/versions", "{\"schema\": ");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = json.readTree(r.body());
        assertThat(error.path("error_code").asInt()).isEqualTo(400);
        assertThat(error.path("message").asText()).contains("not JSON").contains("line 1");
    }

    @Test
    void aBodyWithoutASchemaGetsConfluentsInvalidSchemaCode() throws Exception {
        HttpResponse<String> r = send("POST", "/subjects/s-value/versions", "{\"schemaa\": \"x\"}");

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json.readTree(r.body()).path("error_code").asInt()).isEqualTo(42201);
    }

    @Test
    void everyFailureIsAnsweredWithErrorJson() throws Exception {
        for (String path : List.of("/schemas/ids/not-a-number", "/subjects/x/versions/abc", "/nowhere")) {
            HttpResponse<String> r = send("GET", path, null);

            assertThat(r.statusCode()).as(path).isBetween(400, 599);
            assertThat(json.readTree(r.body()).has("error_code"))
                    .as(path + ": " + r.body())
                    .isTrue();
        }
    }

    @Test
    void slowClientsCannotStarveTheOthers() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            URI uri = URI.create(registry.url());
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket(uri.getHost(), uri.getPort());
                OutputStream out = s.getOutputStream();
                out.write(("POST /subjects/slow-" + i + "-value/versions HTTP/1.1\r\nHost: x\r\n"
                                + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"schema\":")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }

            HttpResponse<String> r = send("GET", "/subjects", null);

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("[]");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }
}
