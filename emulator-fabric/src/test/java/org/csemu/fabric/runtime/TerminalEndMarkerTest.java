package org.csemu.fabric.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The end of a shell session is found however the terminal's bytes are split, and nothing before it is lost. */
class TerminalEndMarkerTest {
    private static final String STREAM = "last line\r\n\u001b[1mbold\u001b[0m\u001b]csemu-shell-end;a-7\u0007";

    @Test
    void theOutputBeforeTheMarkerIsDeliveredWhateverTheSplit() {
        byte[] all = STREAM.getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= all.length; split++) {
            for (int second = split; second <= all.length; second++) {
                TerminalEndMarker end = new TerminalEndMarker("a-7");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(end.accept(slice(all, 0, split), split));
                out.writeBytes(end.accept(slice(all, split, second), second - split));
                out.writeBytes(end.accept(slice(all, second, all.length), all.length - second));
                assertThat(end.found()).as("split at %d and %d", split, second).isTrue();
                assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("last line\r\n\u001b[1mbold\u001b[0m");
            }
        }
    }

    @Test
    void anotherSessionsMarkerOrAnOrdinaryEscapeIsOutput() {
        TerminalEndMarker end = new TerminalEndMarker("a-8");
        byte[] other = STREAM.getBytes(StandardCharsets.US_ASCII);
        byte[] got = end.accept(other, other.length);
        assertThat(end.found()).isFalse();
        assertThat(new String(got, StandardCharsets.US_ASCII) + new String(end.rest(), StandardCharsets.US_ASCII))
                .isEqualTo(STREAM);
    }

    @Test
    void bytesAfterTheMarkerAreNotTheSessions() {
        TerminalEndMarker end = new TerminalEndMarker("a-7");
        byte[] all = (STREAM + "stale").getBytes(StandardCharsets.US_ASCII);
        end.accept(all, all.length);
        assertThat(end.accept("more".getBytes(StandardCharsets.US_ASCII), 4)).isEmpty();
    }

    private static byte[] slice(byte[] a, int from, int to) {
        byte[] s = new byte[to - from];
        System.arraycopy(a, from, s, 0, s.length);
        return s;
    }
}
