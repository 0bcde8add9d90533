package org.csemu.fabric.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A session's markers are found however the terminal's bytes are split, and no byte around them is lost. */
class TerminalMarkerTest {
    private static final String END = "last line\r\n\u001b[1mbold\u001b[0m\u001b]csemu-shell-end;a-7\u0007";
    private static final String START = "\u001b[0m\u001b]csemu-shell-start;a-7\u0007$ prompt";

    @Test
    void theOutputBeforeTheEndMarkerIsDeliveredWhateverTheSplit() {
        byte[] all = END.getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= all.length; split++) {
            for (int second = split; second <= all.length; second++) {
                TerminalMarker end = TerminalMarker.end("a-7");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(end.accept(slice(all, 0, split), split).before());
                out.writeBytes(end.accept(slice(all, split, second), second - split).before());
                out.writeBytes(end.accept(slice(all, second, all.length), all.length - second).before());
                assertThat(end.found()).as("split at %d and %d", split, second).isTrue();
                assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("last line\r\n\u001b[1mbold\u001b[0m");
            }
        }
    }

    @Test
    void theStartMarkerIsFoundWhateverTheSplitAndOnlyItLeavesTheStream() {
        byte[] all = START.getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= all.length; split++) {
            TerminalMarker start = TerminalMarker.start("a-7");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(start.accept(slice(all, 0, split), split).both());
            assertThat(start.found()).as("split at %d", split).isEqualTo(split >= START.indexOf("$"));
            out.writeBytes(start.accept(slice(all, split, all.length), all.length - split).both());
            assertThat(start.found()).isTrue();
            assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("\u001b[0m$ prompt");
        }
    }

    @Test
    void anotherSessionsMarkerOrAnOrdinaryEscapeIsOutput() {
        TerminalMarker end = TerminalMarker.end("a-8");
        byte[] other = END.getBytes(StandardCharsets.US_ASCII);
        byte[] got = end.accept(other, other.length).before();
        assertThat(end.found()).isFalse();
        assertThat(new String(got, StandardCharsets.US_ASCII) + new String(end.rest(), StandardCharsets.US_ASCII))
                .isEqualTo(END);
    }

    @Test
    void bytesAfterTheEndMarkerAreNotTheSessions() {
        TerminalMarker end = TerminalMarker.end("a-7");
        byte[] all = (END + "stale").getBytes(StandardCharsets.US_ASCII);
        assertThat(end.accept(all, all.length).after()).asString(StandardCharsets.US_ASCII).isEqualTo("stale");
        assertThat(end.accept("more".getBytes(StandardCharsets.US_ASCII), 4).before()).isEmpty();
    }

    private static byte[] slice(byte[] a, int from, int to) {
        byte[] s = new byte[to - from];
        System.arraycopy(a, from, s, 0, s.length);
        return s;
    }
}
