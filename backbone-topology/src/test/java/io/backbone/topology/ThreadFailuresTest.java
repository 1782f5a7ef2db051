package io.backbone.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbone.registry.RegistryUnavailableException;
import java.time.Duration;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {
    static final long MINUTE = Duration.ofMinutes(1).toNanos();

    @Test
    void shouldAlwaysReplaceAThreadThatFailedForATransientReason() {
        ThreadFailures failures = new ThreadFailures(2, Duration.ofMinutes(10));
        Throwable outage = new StreamsException(new RegistryUnavailableException("registry away", null));

        for (int i = 0; i < 10; i++) {
            assertThat(failures.failed(outage, i * MINUTE)).isEqualTo(ThreadFailures.Verdict.REPLACE);
        }
    }

    @Test
    void shouldStopAtOnceWhenASourceTopicIsMissing() {
        ThreadFailures failures = new ThreadFailures(5, Duration.ofMinutes(10));
        Throwable missing = new MissingSourceTopicException("One or more source topics were missing");

        assertThat(failures.failed(missing, 0)).isEqualTo(ThreadFailures.Verdict.STOP);
        assertThat(failures.why(missing)).contains("backbone provision");
    }

    @Test
    void shouldStopAfterMoreThanMaxOtherFailuresWithinTheWindowButNotWhenTheyAreSpreadOut() {
        ThreadFailures failures = new ThreadFailures(2, Duration.ofMinutes(10));
        Throwable bug = new StreamsException(new IllegalStateException("bug"));

        assertThat(failures.failed(bug, 0)).isEqualTo(ThreadFailures.Verdict.REPLACE);
        assertThat(failures.failed(bug, 20 * MINUTE)).isEqualTo(ThreadFailures.Verdict.REPLACE);
        assertThat(failures.failed(bug, 40 * MINUTE)).isEqualTo(ThreadFailures.Verdict.REPLACE);
        assertThat(failures.failed(bug, 41 * MINUTE)).isEqualTo(ThreadFailures.Verdict.REPLACE);
        assertThat(failures.failed(bug, 42 * MINUTE)).isEqualTo(ThreadFailures.Verdict.STOP);
        assertThat(ThreadFailures.root(bug)).isEqualTo("IllegalStateException: bug");
    }
}
