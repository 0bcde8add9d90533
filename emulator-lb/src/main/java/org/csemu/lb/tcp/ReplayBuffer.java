package org.csemu.lb.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * The client bytes one connection sent to a backend that has not answered yet, kept as retained duplicates (at most
 * {@link #LIMIT} bytes) so that a redispatch can replay them to the next backend ({@link TcpRelay}). Once the backend
 * answers, or the client's opening outgrows the limit, the buffer is committed: the bytes are released and no
 * redispatch is possible any more. Used on the connection's event loop only.
 */
final class ReplayBuffer {

    /** Client bytes kept for a replay until the backend's first byte; a longer opening is not redispatched. */
    static final int LIMIT = 16 * 1024;

    /** The kept buffers; null when none. */
    private List<ByteBuf> kept;
    private int bytes;
    /** The backend sent a byte, or the client's opening outgrew the limit: no redispatch any more. */
    private boolean committed;

    /** Keeps a client buffer before it is written (the write releases the original); past the limit, commits. */
    void keep(ByteBuf msg) {
        if (committed) {
            return;
        }
        int n = msg.readableBytes();
        if (bytes + n > LIMIT) {
            commit();
            return;
        }
        if (kept == null) {
            kept = new ArrayList<>(2);
        }
        kept.add(msg.retainedDuplicate());
        bytes += n;
    }

    /** No redispatch from here on: the kept bytes are released. */
    void commit() {
        committed = true;
        release();
    }

    boolean committed() {
        return committed;
    }

    /** Bytes are kept: the backend may still be replaced, with them replayed. */
    boolean holdsBytes() {
        return !committed && kept != null;
    }

    /**
     * Writes the kept bytes to {@code channel} (a new backend) and flushes it; they stay kept for a further
     * redispatch. Returns how many bytes were written, or -1 when nothing is kept.
     */
    long replayTo(Channel channel) {
        if (kept == null) {
            return -1;
        }
        long n = 0;
        for (ByteBuf m : kept) {
            n += m.readableBytes();
            channel.write(m.retainedDuplicate(), channel.voidPromise());
        }
        channel.flush();
        return n;
    }

    /** Releases the kept bytes (the connection ended or was committed). */
    void release() {
        if (kept != null) {
            kept.forEach(ByteBuf::release);
            kept = null;
        }
    }
}
