package org.csemu.core.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The corpus of real-world service models that ships with the tests (src/test/resources/corpus, see its README):
 * inside the repository, so a fresh clone runs every test.
 */
public final class CorpusFiles {

    private CorpusFiles() {
    }

    /** The corpus folder, found on the test class path. */
    public static Path root() {
        URL manifest = CorpusFiles.class.getResource("/corpus/MANIFEST.tsv");
        if (manifest == null) {
            throw new IllegalStateException("test resource corpus/MANIFEST.tsv is missing");
        }
        try {
            return Path.of(manifest.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path file(String relative) {
        return root().resolve(relative);
    }

    /** Every .csdef and .cscfg of the corpus, sorted. */
    public static List<Path> modelFiles() {
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".csdef") || p.toString().endsWith(".cscfg"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every .csdef of the corpus, sorted. */
    public static List<Path> definitions() {
        return modelFiles().stream().filter(p -> p.toString().endsWith(".csdef")).toList();
    }
}
