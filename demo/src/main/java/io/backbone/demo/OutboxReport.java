package io.backbone.demo;

import io.backbone.consumer.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A service's transactional outbox at the end of a run: events committed with their business change, events its
 * contract check refused (rolled back, in no topic), events the relay wrote, what is still in the outbox (committed,
 * not yet relayed), and the relay's lag: from the event's time (its CloudEvents {@code ce_time}, set just before the
 * commit) to the record's timestamp on the raw topic.
 */
public record OutboxReport(
        String outbox,
        String topic,
        long committed,
        long refused,
        long relayed,
        long depth,
        long lagP50Millis,
        long lagP95Millis) {

    public static OutboxReport of(
            Map<String, Object> clientConfig, String outbox, String topic, long committed, long refused, long relayed) {
        List<Long> lags = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(clientConfig, topic, Duration.ofSeconds(60))) {
            Header time = r.headers().lastHeader("ce_time");
            if (time == null) {
                continue;
            }
            try {
                Instant at = Instant.parse(new String(time.value(), StandardCharsets.UTF_8));
                lags.add(Math.max(0, r.timestamp() - at.toEpochMilli()));
            } catch (java.time.format.DateTimeParseException notAnInstant) {
                // a header someone else wrote: not part of the lag
            }
        }
        lags.sort(Long::compare);
        return new OutboxReport(
                outbox,
                topic,
                committed,
                refused,
                relayed,
                Math.max(0, committed - relayed),
                percentile(lags, 0.50),
                percentile(lags, 0.95));
    }

    private static long percentile(List<Long> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }
}
