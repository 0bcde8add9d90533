package org.csemu.fabric.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The framing of an upgraded {@code csemu shell} connection ({@code Upgrade: csemu-terminal}, docs/api.md): each
 * frame is a type byte, a 4-byte big-endian payload length and the payload. Client to daemon: {@link #INPUT} (bytes
 * typed) and {@link #RESIZE} (rows and columns, two unsigned 16-bit numbers). Daemon to client: {@link #OUTPUT}
 * (bytes the terminal printed), then exactly one of {@link #EXIT} (the shell's exit code, a 4-byte signed number) or
 * {@link #ERROR} (UTF-8 text: the session failed), after which the daemon closes the connection. Framed rather than
 * raw so that the exit code and size changes need no second channel.
 */
public final class TerminalFrames {
    public static final String PROTOCOL = "csemu-terminal";
    public static final byte INPUT = 'i';
    public static final byte RESIZE = 'r';
    public static final byte OUTPUT = 'o';
    public static final byte EXIT = 'x';
    public static final byte ERROR = 'e';
    public static final int HEADER_BYTES = 5;
    /** The largest payload either side sends or accepts. */
    public static final int MAX_PAYLOAD = 64 * 1024;

    private TerminalFrames() {
    }

    /** A whole frame: header and payload. */
    public static ByteBuffer frame(byte type, ByteBuffer payload) {
        if (payload.remaining() > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a terminal frame carries at most " + MAX_PAYLOAD + " bytes");
        }
        ByteBuffer f = ByteBuffer.allocate(HEADER_BYTES + payload.remaining());
        f.put(type).putInt(payload.remaining()).put(payload.duplicate()).flip();
        return f;
    }

    public static ByteBuffer resize(int rows, int cols) {
        return frame(RESIZE, ByteBuffer.allocate(4).putShort((short) size(rows)).putShort((short) size(cols)).flip());
    }

    public static ByteBuffer exit(int code) {
        return frame(EXIT, ByteBuffer.allocate(4).putInt(code).flip());
    }

    public static ByteBuffer error(String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        return frame(ERROR, ByteBuffer.wrap(text, 0, Math.min(text.length, MAX_PAYLOAD)));
    }

    /** Rows or columns as the guest's {@code stty} takes them: 1..65535. */
    public static int size(int n) {
        if (n < 1 || n > 0xFFFF) {
            throw new IllegalArgumentException("a terminal size must be between 1 and 65535, got " + n);
        }
        return n;
    }
}
