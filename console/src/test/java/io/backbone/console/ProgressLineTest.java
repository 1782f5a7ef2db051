package io.backbone.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    long now;

    @Test
    void outsideATerminalAChangedStatusEveryTwoSecondsAndAnUnchangedOneOncePerMinute() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, () -> now);

        line.show("a 1");
        now += 1_000_000_000L;
        line.show("a 2"); // changed, but within 2 s
        now += 2_000_000_000L;
        line.show("a 3");
        for (int i = 0; i < 50; i++) {
            now += 1_000_000_000L;
            line.show("a 3"); // unchanged for 50 s
        }
        now += 11_000_000_000L;
        line.show("a 3"); // unchanged, a minute after it was last printed

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly("a 1", "a 3", "a 3");
    }
}
