package io.backbone.topology.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeenIdsTest {

    private static long finalNow(Map<String, Long> reference) {
        return reference.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    @Test
    void aSecondCopyWithinTheWindowIsSeenAndOneAfterItIsNot() {
        SeenIds seen = new SeenIds(1000);

        assertThat(seen.seenBefore("a", 0)).isFalse();
        assertThat(seen.seenBefore("a", 900)).isTrue();
        assertThat(seen.seenBefore("b", 1500)).isFalse();
        assertThat(seen.seenBefore("a", 2100)).isFalse();
        assertThat(seen.size()).isEqualTo(2);
    }

    @Test
    void anIdReadAsAvroUtf8IsTheSameIdAsItsString() {
        SeenIds seen = new SeenIds(60_000);
        seen.add("ordre-é-😀", 10);

        assertThat(seen.seenBefore(new org.apache.avro.util.Utf8("ordre-é-😀"), 20))
                .isTrue();
        assertThat(SeenIds.hash(new org.apache.avro.util.Utf8("x-1"))).isEqualTo(SeenIds.hash("x-1"));
        assertThat(SeenIds.hash("x-1")).isNotEqualTo(SeenIds.hash("x-2"));
    }

    @Test
    void restoredIdsCountAsSeen() {
        SeenIds seen = new SeenIds(60_000);
        seen.add("restored", 10);

        assertThat(seen.seenBefore("restored", 20)).isTrue();
    }

    @Test
    void agreesWithAPlainMapOnAMillionOperationsThroughGrowthAndEviction() {
        long window = 5_000;
        SeenIds seen = new SeenIds(window);
        Map<String, Long> reference = new HashMap<>();
        Random rnd = new Random(3);
        long now = 0;
        for (int i = 0; i < 1_000_000; i++) {
            now += rnd.nextInt(3);
            String id = "e-" + rnd.nextInt(20_000);
            Long last = reference.get(id);
            boolean expected = last != null && now - last <= window;
            if (!expected) {
                reference.put(id, now);
            }
            assertThat(seen.seenBefore(id, now)).as("op %d id %s", i, id).isEqualTo(expected);
        }
        // expired ids were evicted: only ids published within the last window remain
        long recent = reference.values().stream()
                .filter(t -> t >= finalNow(reference) - window)
                .count();
        assertThat(seen.size()).isLessThanOrEqualTo(reference.size()).isGreaterThanOrEqualTo((int) recent);
    }
}
