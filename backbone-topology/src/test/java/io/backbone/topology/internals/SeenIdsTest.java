package io.backbone.topology.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeenIdsTest {

    /** What the processor does: a new id is published, so it is recorded; a duplicate is not. */
    private static boolean seenBefore(SeenIds seen, CharSequence id, long timestamp) {
        long key = SeenIds.hash(id);
        if (seen.seen(key, timestamp)) {
            return true;
        }
        seen.add(key, timestamp);
        return false;
    }

    private static long finalNow(Map<String, Long> reference) {
        return reference.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    @Test
    void aSecondCopyWithinTheWindowIsSeenAndOneAfterItIsNot() {
        SeenIds seen = new SeenIds(1000);

        assertThat(seenBefore(seen, "a", 0)).isFalse();
        assertThat(seenBefore(seen, "a", 900)).isTrue();
        assertThat(seenBefore(seen, "b", 1500)).isFalse();
        assertThat(seenBefore(seen, "a", 2100)).isFalse();
        assertThat(seen.size()).isEqualTo(2);
    }

    @Test
    void anIdReadAsAvroUtf8IsTheSameIdAsItsString() {
        SeenIds seen = new SeenIds(60_000);
        seen.add(SeenIds.hash("ordre-é-😀"), 10);

        assertThat(seenBefore(seen, new org.apache.avro.util.Utf8("ordre-é-😀"), 20))
                .isTrue();
        assertThat(SeenIds.hash(new org.apache.avro.util.Utf8("x-1"))).isEqualTo(SeenIds.hash("x-1"));
        assertThat(SeenIds.hash("x-1")).isNotEqualTo(SeenIds.hash("x-2"));
    }

    @Test
    void restoredIdsCountAsSeen() {
        SeenIds seen = new SeenIds(60_000);
        seen.add(SeenIds.hash("restored"), 10);

        assertThat(seenBefore(seen, "restored", 20)).isTrue();
    }

    @Test
    void lookingAnIdUpDoesNotRecordIt() {
        SeenIds seen = new SeenIds(60_000);

        assertThat(seen.seen(SeenIds.hash("failed-to-encode"), 10)).isFalse();
        assertThat(seen.seen(SeenIds.hash("failed-to-encode"), 20)).isFalse();
        assertThat(seen.size()).isZero();
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
            assertThat(seenBefore(seen, id, now)).as("op %d id %s", i, id).isEqualTo(expected);
        }
        // expired ids were evicted: only ids published within the last window remain
        long recent = reference.values().stream()
                .filter(t -> t >= finalNow(reference) - window)
                .count();
        assertThat(seen.size()).isLessThanOrEqualTo(reference.size()).isGreaterThanOrEqualTo((int) recent);
    }
}
