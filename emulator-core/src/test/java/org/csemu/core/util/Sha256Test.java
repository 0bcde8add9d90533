package org.csemu.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {

    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void a_file_bytes_and_a_string_hash_alike(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("abc"), "abc");

        assertThat(Sha256.ofFile(file)).isEqualTo(ABC);
        assertThat(Sha256.ofBytes("abc".getBytes())).isEqualTo(ABC);
        assertThat(Sha256.ofString("abc")).isEqualTo(ABC);
    }
}
