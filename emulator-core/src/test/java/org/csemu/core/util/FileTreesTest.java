package org.csemu.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @Test
    void deletes_the_tree_and_removes_links_without_following_them(@TempDir Path tmp) throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "keep");
        Path root = tmp.resolve("tree");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/file.txt"), "x");
        Files.createSymbolicLink(root.resolve("a/link"), outside);
        Files.createSymbolicLink(root.resolve("dirlink"), tmp);

        FileTrees.delete(root);

        assertThat(root).doesNotExist();
        assertThat(outside).hasContent("keep");
    }

    @Test
    void a_missing_root_is_already_deleted(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("missing");

        FileTrees.delete(missing);

        assertThat(missing).doesNotExist();
    }
}
