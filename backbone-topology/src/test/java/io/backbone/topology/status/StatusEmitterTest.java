package io.backbone.topology.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backbone.contract.Severity;
import io.backbone.contract.Stage;
import io.backbone.contract.Violation;
import io.backbone.product.DataProduct;
import io.backbone.product.PlatformTopics;
import io.backbone.product.ProductCatalog;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Windows close after their grace, idle windows get a status, late records still count, promises raise alerts. */
class StatusEmitterTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final DataProduct orders = ProductCatalog.shipped().product("orders");
    final AtomicLong clock = new AtomicLong(10_000);
    final StatusWindows windows = new StatusWindows(1_000);
    final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    final StatusEmitter emitter = new StatusEmitter(windows, List.of(orders), 500, "test@host", producer, clock::get);

    List<JsonNode> sent(String topic) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : producer.history()) {
            if (r.topic().equals(topic)) {
                out.add(JSON.readTree(r.value()));
            }
        }
        return out;
    }

    static List<Violation> violation(String rule) {
        return List.of(new Violation(rule, "currency", "is not one of …", Severity.ERROR, Stage.QUALITY));
    }

    @Test
    void aWindowIsPublishedOnceItsGraceHasPassedWithItsFiguresAndPromises() throws Exception {
        StatusWindows.Product p = windows.product("orders");
        p.valid(10_100, 10_150);
        p.valid(10_200, 10_250);
        p.deadLettered(10_300, 10_350, Stage.QUALITY, violation("currency.invalidValues"));
        p.duplicate(10_400, 10_450);

        clock.set(11_400); // window [10000, 11000) ends at 11000; grace 500 not yet over
        emitter.emit(clock.get() - 500, false);
        assertThat(sent(PlatformTopics.STATUS)).isEmpty();

        clock.set(11_600);
        emitter.emit(clock.get() - 500, false);
        List<JsonNode> status = sent(PlatformTopics.STATUS);
        assertThat(status).hasSize(1);
        JsonNode s = status.get(0);
        assertThat(s.path("windowStart").asText()).isEqualTo("1970-01-01T00:00:10Z");
        assertThat(s.path("in").asLong()).isEqualTo(4);
        assertThat(s.path("valid").asLong()).isEqualTo(2);
        assertThat(s.path("duplicates").asLong()).isEqualTo(1);
        assertThat(s.path("deadLetteredByRule").path("currency.invalidValues").asLong())
                .isEqualTo(1);
        assertThat(s.path("deadLetterPercent").asDouble()).isEqualTo(25.0);
        assertThat(s.path("latencyMs").path("p95").asLong()).isEqualTo(55); // 50 ms, in the 48–55 bucket
        assertThat(s.path("freshnessMs").asLong()).isEqualTo(11_600 - 10_200); // newest published event
        assertThat(s.path("state").asText()).isEqualTo("BROKEN");
        List<JsonNode> alerts = sent(PlatformTopics.ALERTS);
        assertThat(alerts)
                .extracting(
                        a -> a.path("promise").asText() + " " + a.path("state").asText())
                .containsExactly("dead-letter-ratio BROKEN");
        assertThat(alerts.get(0).path("message").asText())
                .isEqualTo("orders breaks its dead-letter-ratio promise: 25.00 % against < 10.0 %");
    }

    @Test
    void idleWindowsGetAStatusLateRecordsCountNowAndAKeptPromiseIsAnnounced() throws Exception {
        StatusWindows.Product p = windows.product("orders");
        p.deadLettered(10_100, 10_150, Stage.QUALITY, violation("currency.invalidValues"));
        clock.set(12_600);
        emitter.emit(clock.get() - 500, false); // closes [10000,11000) and the idle [11000,12000)

        p.valid(11_900, 12_700); // its window is closed: counts in the window of now, as late
        clock.set(13_600);
        emitter.emit(clock.get() - 500, false);

        List<JsonNode> status = sent(PlatformTopics.STATUS);
        assertThat(status).extracting(s -> s.path("state").asText()).containsExactly("BROKEN", "IDLE", "OK");
        assertThat(status.get(2).path("late").asLong()).isEqualTo(1);
        assertThat(status.get(2).path("valid").asLong()).isEqualTo(1);
        assertThat(sent(PlatformTopics.ALERTS))
                .extracting(a -> a.path("state").asText())
                .containsExactly("BROKEN", "KEPT");
    }

    @Test
    void closingPublishesTheOpenWindowsSoThatNothingCountedIsLost() throws Exception {
        windows.product("orders").valid(10_100, 10_150);
        clock.set(10_200);

        emitter.close();

        assertThat(sent(PlatformTopics.STATUS)).singleElement().satisfies(s -> {
            assertThat(s.path("valid").asLong()).isEqualTo(1);
            assertThat(s.path("partial").asBoolean()).isTrue();
        });
    }
}
