package io.backbone.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where contracts, product descriptors and Avro schemas come from: a folder (a domain team's checkout, test
 * resources) or the {@code catalog/} folder shipped inside the schemas jar. Layout: {@code avro/<domain>/*.avsc},
 * {@code domains/<domain>/*.odcs.yaml} and {@code *.odps.yaml}.
 */
public final class CatalogSource {
    private final Path root;
    private final String displayRoot;

    private CatalogSource(Path root, String displayRoot) {
        this.root = root;
        this.displayRoot = displayRoot;
    }

    /** A catalog in a folder on disk. */
    public static CatalogSource directory(Path root) {
        if (!Files.isDirectory(root)) {
            throw new CatalogException(new Problem(
                    root.toString(),
                    0,
                    "",
                    "catalog folder does not exist",
                    "point --catalog at a folder holding domains/ and avro/"));
        }
        return new CatalogSource(root, root.toString());
    }

    /** The catalog shipped in the schemas jar (or its classes folder in a build). */
    public static CatalogSource classpath() {
        return classpath("catalog");
    }

    /** A catalog shipped as resources under {@code root} (holding {@code domains/} and {@code avro/}). */
    public static CatalogSource classpath(String root) {
        URL marker = CatalogSource.class.getClassLoader().getResource(root + "/domains");
        if (marker == null) {
            throw new IllegalStateException("no " + root + "/domains resources on the class path");
        }
        try {
            URI uri = marker.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return new CatalogSource(fs.getPath("/" + root), "classpath:" + root);
            }
            return new CatalogSource(Path.of(uri).getParent(), "classpath:" + root);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot open the shipped catalog at " + marker, e);
        }
    }

    /** Relative paths of every file under {@code domains/} ending in {@code suffix}, sorted. */
    public List<String> files(String suffix) {
        Path domains = root.resolve("domains");
        if (!Files.isDirectory(domains)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(domains)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of {@code relative}; a missing file is a {@link CatalogException}. */
    public String read(String relative, String referencedFrom, int line, String field) {
        try {
            return Files.readString(root.resolve(relative));
        } catch (NoSuchFileException e) {
            throw new CatalogException(new Problem(
                    referencedFrom,
                    line,
                    field,
                    "refers to " + relative + ", which does not exist in " + displayRoot,
                    "add the file or correct the reference"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a file this source listed. */
    public String read(String relative) {
        try {
            return Files.readString(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the catalog holds {@code relative} (e.g. {@code governance/principals.yaml}). */
    public boolean exists(String relative) {
        return Files.isRegularFile(root.resolve(relative));
    }

    /** How a file is named in messages. */
    public String display(String relative) {
        return displayRoot + "/" + relative;
    }
}
