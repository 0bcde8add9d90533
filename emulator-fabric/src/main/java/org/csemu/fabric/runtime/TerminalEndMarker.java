package org.csemu.fabric.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds the end of a shell session in the terminal's byte stream: the agent writes {@code ESC ] csemu-shell-end;<id>
 * BEL} (an OSC sequence terminals ignore) on the terminal after the shell ended, so the host knows it has everything
 * the shell printed, in order, although the exit code travels on another channel. The marker may be split across
 * reads: a tail that could be its beginning is held back until the next read decides.
 */
final class TerminalEndMarker {
    private final byte[] marker;
    private byte[] held = new byte[0];
    private boolean found;

    TerminalEndMarker(String sessionId) {
        this.marker = ("\u001b]csemu-shell-end;" + sessionId + "\u0007").getBytes(StandardCharsets.US_ASCII);
    }

    /** The bytes of {@code chunk} (after what was held) that belong to the session; nothing once the marker was seen. */
    byte[] accept(byte[] chunk, int length) {
        if (found) {
            return new byte[0];
        }
        byte[] all = new byte[held.length + length];
        System.arraycopy(held, 0, all, 0, held.length);
        System.arraycopy(chunk, 0, all, held.length, length);
        int at = indexOf(all, marker);
        if (at >= 0) {
            found = true;
            held = new byte[0];
            return Arrays.copyOf(all, at);
        }
        int keep = longestSuffixThatStartsTheMarker(all);
        held = Arrays.copyOfRange(all, all.length - keep, all.length);
        return Arrays.copyOf(all, all.length - keep);
    }

    boolean found() {
        return found;
    }

    /** What was held back when the stream ended without the marker: it was output after all. */
    byte[] rest() {
        byte[] r = found ? new byte[0] : held;
        held = new byte[0];
        return r;
    }

    private int longestSuffixThatStartsTheMarker(byte[] all) {
        for (int n = Math.min(marker.length - 1, all.length); n > 0; n--) {
            if (Arrays.equals(all, all.length - n, all.length, marker, 0, n)) {
                return n;
            }
        }
        return 0;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
