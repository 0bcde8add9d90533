package org.csemu.fabric.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileStoreTest {
    record Doc(String name, List<Integer> values) {
    }

    @TempDir
    Path dir;

    @Test
    void roundTripsAndAMissingFileIsEmpty() {
        JsonFileStore<Doc> store = new JsonFileStore<>(dir.resolve("doc.json"), Doc.class);
        assertThat(store.load()).isEmpty();
        store.save(new Doc("a", List.of(1, 2)));
        assertThat(store.load()).contains(new Doc("a", List.of(1, 2)));
    }

    @Test
    void anEmptyFileIsReportedAndKeptAside() throws IOException {
        Path f = dir.resolve("doc.json");
        Files.writeString(f, "");
        assertCorrupt(f, "the file is empty");
    }

    @Test
    void aTruncatedFileIsReportedAndKeptAside() throws IOException {
        Path f = dir.resolve("doc.json");
        Files.writeString(f, "{\"name\":\"a\",\"values\":[1,");
        assertCorrupt(f, "unreadable");
    }

    private void assertCorrupt(Path f, String reason) throws IOException {
        byte[] before = Files.readAllBytes(f);
        JsonFileStore<Doc> store = new JsonFileStore<>(f, Doc.class);
        assertThatThrownBy(store::load).isInstanceOf(CorruptStateException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining(reason)
                .hasMessageContaining("will not start on an empty state")
                .satisfies(e -> {
                    Path copy = ((CorruptStateException) e).preservedCopy();
                    assertThat(copy.getFileName().toString()).startsWith("doc.json.corrupt-");
                    assertThat(Files.readAllBytes(copy)).isEqualTo(before);
                });
        // the original stays: nothing is dropped
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).hasSize(2);
        }
    }
}
