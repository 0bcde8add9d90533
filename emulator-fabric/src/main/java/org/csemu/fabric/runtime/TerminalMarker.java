package org.csemu.fabric.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds one of the agent's session markers in the terminal's byte stream. The agent writes {@code ESC ]
 * csemu-shell-start;<id> BEL} just before it starts the shell (input sent earlier would reach a terminal nobody reads
 * yet, and the terminal process discards that) and {@code ESC ] csemu-shell-end;<id> BEL} after the shell ended (the
 * host then knows it has everything the shell printed, in order, although the exit code travels on another channel).
 * Both are OSC sequences terminals ignore. A marker may be split across reads: a tail that could be its beginning is
 * held back until the next read decides.
 */
final class TerminalMarker {
    private static final byte[] NONE = new byte[0];

    private final byte[] marker;
    private byte[] held = NONE;
    private boolean found;

    private TerminalMarker(String kind, String sessionId) {
        this.marker = ("\u001b]csemu-shell-" + kind + ";" + sessionId + "\u0007").getBytes(StandardCharsets.US_ASCII);
    }

    static TerminalMarker start(String sessionId) {
        return new TerminalMarker("start", sessionId);
    }

    static TerminalMarker end(String sessionId) {
        return new TerminalMarker("end", sessionId);
    }

    /** A chunk of the stream, cut at the marker (which belongs to neither part). */
    record Split(byte[] before, byte[] after) {
        byte[] both() {
            byte[] all = Arrays.copyOf(before, before.length + after.length);
            System.arraycopy(after, 0, all, before.length, after.length);
            return all;
        }
    }

    /**
     * The bytes of {@code chunk} (after what was held): those before the marker and those after it; once the marker
     * was seen, everything is after it.
     */
    Split accept(byte[] chunk, int length) {
        if (found) {
            return new Split(NONE, Arrays.copyOf(chunk, length));
        }
        byte[] all = Arrays.copyOf(held, held.length + length);
        System.arraycopy(chunk, 0, all, held.length, length);
        int at = indexOf(all, marker);
        if (at >= 0) {
            found = true;
            held = NONE;
            return new Split(Arrays.copyOf(all, at), Arrays.copyOfRange(all, at + marker.length, all.length));
        }
        int keep = longestSuffixThatStartsTheMarker(all);
        held = Arrays.copyOfRange(all, all.length - keep, all.length);
        return new Split(Arrays.copyOf(all, all.length - keep), NONE);
    }

    boolean found() {
        return found;
    }

    /** What was held back when the stream ended without the marker: it was output after all. */
    byte[] rest() {
        byte[] r = held;
        held = NONE;
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
