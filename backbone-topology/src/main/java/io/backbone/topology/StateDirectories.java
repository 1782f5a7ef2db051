package io.backbone.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Temporary Kafka Streams state folders of bounded runs (the demo, benchmark legs). */
public final class StateDirectories {
    private StateDirectories() {}

    /** Deletes {@code dir} and everything in it; a leftover temporary folder is harmless, so failures are ignored. */
    public static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }
}
