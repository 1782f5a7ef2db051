package io.backbone.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Test catalogs: a copy of the shipped one in a folder, for tests that break or extend it. */
public final class CatalogFixtures {
    private CatalogFixtures() {}

    /** Copies the shipped catalog (contracts, descriptors, .avsc files) of the schemas module at {@code schemasModule}. */
    public static void copyShipped(Path schemasModule, Path target) throws IOException {
        copy(schemasModule.resolve("src/main/resources/catalog"), target);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
