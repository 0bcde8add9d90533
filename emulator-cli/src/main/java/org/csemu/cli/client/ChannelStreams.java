package org.csemu.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * An upgraded connection's two directions as streams straight on the {@link SocketChannel}. Not
 * {@code Channels.newInputStream}/{@code newOutputStream}: both lock the channel's blocking lock, so a write would
 * wait for a read that waits for the guest, and typing would stall until the guest printed something.
 */
final class ChannelStreams {

    private ChannelStreams() {
    }

    static void writeFully(SocketChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Reads the channel directly: a read holds only the channel's read lock, so writes go on meanwhile. */
    static final class ChannelReader extends InputStream {
        private final SocketChannel ch;

        ChannelReader(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            return ch.read(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** Writes the channel directly (see {@link ChannelReader}). */
    static final class ChannelWriter extends OutputStream {
        private final SocketChannel ch;

        ChannelWriter(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writeFully(ch, ByteBuffer.wrap(b, off, len));
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
