package org.csemu.lb.tcp;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DuplexChannel;

/** Ending one side of a relayed connection after the bytes still queued for it: a FIN, or a close. */
final class ChannelEnds {

    private static final ChannelFutureListener SHUTDOWN_OUTPUT = f -> {
        Channel ch = f.channel();
        if (ch.isActive() && ch instanceof DuplexChannel d) {
            d.shutdownOutput();
        }
    };

    private ChannelEnds() {
    }

    /** Forwards a FIN: shuts the output down directly when nothing is pending, else after the last write. */
    static void shutdownOutputOnFlush(Channel ch) {
        if (!ch.isActive()) {
            return;
        }
        if (nothingPending(ch)) {
            ((DuplexChannel) ch).shutdownOutput();
        } else {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(SHUTDOWN_OUTPUT);
        }
    }

    /** Closes directly when nothing is pending (the common case), else after the last write. */
    static void closeOnFlush(Channel ch) {
        if (!ch.isActive() || nothingPending(ch)) {
            ch.close();
        } else {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static boolean nothingPending(Channel ch) {
        ChannelOutboundBuffer buf = ch.unsafe().outboundBuffer();
        return buf == null || buf.totalPendingWriteBytes() == 0;
    }
}
