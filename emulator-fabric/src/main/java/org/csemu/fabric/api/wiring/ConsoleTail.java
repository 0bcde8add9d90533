package org.csemu.fabric.api.wiring;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The end of a serial console log, read from the end of the file so a long-running guest costs nothing. */
final class ConsoleTail {
    /** At most this much of a console is returned (the whole log of a chatty guest can be large). */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    private ConsoleTail() {
    }

    /** The last {@code lines} lines (all when {@code lines <= 0}, up to {@link #MAX_BYTES}); "" when there is none. */
    static String read(Path file, int lines) throws IOException {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            long start = Math.max(0, size - MAX_BYTES);
            byte[] buf = new byte[(int) (size - start)];
            f.seek(start);
            f.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n');
            if (lines <= 0) {
                return text;
            }
            int end = text.endsWith("\n") ? text.length() - 1 : text.length();
            int pos = end;
            for (int n = 0; n < lines && pos > 0; n++) {
                pos = text.lastIndexOf('\n', pos - 1);
                if (pos < 0) {
                    pos = 0;
                    break;
                }
            }
            return text.substring(pos == 0 ? 0 : pos + 1);
        }
    }
}
