package org.csemu.lb.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.csemu.lb.core.Backend;
import org.csemu.lb.core.Flow;

/**
 * One proxied TCP connection: this object is the client side's handler, {@link BackSide} the backend side's. Two
 * objects per connection besides the channels. Backpressure by writability, not by write futures: when a write
 * leaves one side unwritable (its outbound buffer passed the high-water mark), auto-read is turned off on the other
 * side, and {@code channelWritabilityChanged} turns it back on once that buffer drained. Half-close is forwarded
 * (a FIN becomes shutdownOutput after pending bytes are flushed); the connection closes once both directions ended.
 */
final class TcpRelay extends ChannelInboundHandlerAdapter implements Flow, ChannelFutureListener {

    private static final ChannelFutureListener SHUTDOWN_OUTPUT = f -> {
        Channel ch = f.channel();
        if (ch.isActive() && ch instanceof DuplexChannel d) {
            d.shutdownOutput();
        }
    };

    private final TcpListener listener;
    private final Channel front;
    private Channel back;
    private Backend backend;
    private volatile long lastTick;
    private boolean frontInputShut;
    private boolean backInputShut;
    private boolean finished;
    private boolean backReceiveBufferBounded;
    /** Client bytes read before the backend connect completed (bounded by the socket receive buffer). */
    private java.util.List<Object> held;
    private long upBytes;
    private long downBytes;

    TcpRelay(TcpListener listener, Channel front) {
        this.listener = listener;
        this.front = front;
        this.lastTick = listener.tick();
    }

    // ---- client side ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        listener.accepted.increment();
        Backend b = listener.pick(flowKey());
        if (b == null) {
            listener.refused.increment();
            close(front);
            return;
        }
        backend = b;
        listener.active.increment();
        b.flowOpened(this);
        if (listener.rotationEmpty()) { // emptied between pick and registration: the Basic LB closes
            close(front);
            return;
        }
        back = listener.newBackendChannel(new BackSide());
        front.eventLoop().register(back);
        back.connect(b.address()).addListener(this);
    }

    private long flowKey() {
        InetSocketAddress remote = (InetSocketAddress) front.remoteAddress();
        return listener.key(remote.getAddress().hashCode(), remote.getPort());
    }

    /** The backend connect finished. */
    @Override
    public void operationComplete(ChannelFuture future) {
        if (future.isSuccess()) {
            if (held != null) {
                for (Object m : held) {
                    upBytes += ((ByteBuf) m).readableBytes();
                    back.write(m, back.voidPromise());
                }
                held = null;
                channelReadComplete(null);
            }
            if (frontInputShut) {
                shutdownOutputOnFlush(back);
            } else if (front.isActive()) {
                front.config().setAutoRead(true);
            } else {
                close(back);
            }
        } else {
            releaseHeld();
            if (front.isActive()) {
                backend.connectFailed();
                close(front);
            }
        }
    }

    private void holdUntilConnected(Object msg) {
        if (held == null) {
            held = new java.util.ArrayList<>(2);
        }
        held.add(msg);
    }

    private void releaseHeld() {
        if (held != null) {
            held.forEach(ReferenceCountUtil::release);
            held = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastTick = listener.tick();
        Channel b = back;
        if (b == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!b.isActive()) { // epoll reads data and FIN on RDHUP even before the backend is connected
            holdUntilConnected(msg);
            return;
        }
        upBytes += ((ByteBuf) msg).readableBytes();
        b.write(msg, b.voidPromise());
        if (!b.isWritable()) {
            front.config().setAutoRead(false); // before flush: a flush that drains re-enables it
            recordQueued(b);
            b.flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel b = back;
        if (b != null && upBytes != 0) {
            b.flush();
            listener.countBytes(upBytes, 0);
            backend.bytes(upBytes, 0);
            upBytes = 0;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel b = back;
        if (front.isWritable() && b != null && b.isActive() && !backInputShut) {
            b.config().setAutoRead(true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            frontInputShut = true;
            if (back != null && !back.isActive() && back.isOpen()) {
                return; // forwarded once connected
            }
            if (backInputShut) {
                closeOnFlush(front);
                if (back != null) {
                    closeOnFlush(back);
                }
            } else if (back != null) {
                shutdownOutputOnFlush(back);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        finish();
        if (back != null) {
            closeOnFlush(back);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close(front);
    }

    // ---- Flow ----

    @Override
    public long lastActivityTick() {
        return lastTick;
    }

    @Override
    public void closeNow() {
        closeBoth();
    }

    private void closeBoth() {
        close(front);
        if (back != null) {
            close(back);
        }
    }

    private static void close(Channel ch) {
        ch.close();
    }

    private void finish() {
        if (!finished) {
            finished = true;
            if (backend != null) {
                listener.active.decrement();
                backend.flowClosed(this);
            }
        }
    }

    private void recordQueued(Channel ch) {
        ChannelOutboundBuffer buf = ch.unsafe().outboundBuffer();
        if (buf != null) {
            listener.recordQueued(buf.totalPendingWriteBytes());
        }
    }

    /** Forwards a FIN: shuts the output down directly when nothing is pending, else after the last write. */
    private static void shutdownOutputOnFlush(Channel ch) {
        if (!ch.isActive()) {
            return;
        }
        ChannelOutboundBuffer buf = ch.unsafe().outboundBuffer();
        if (buf == null || buf.totalPendingWriteBytes() == 0) {
            ((DuplexChannel) ch).shutdownOutput();
        } else {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(SHUTDOWN_OUTPUT);
        }
    }

    /** Closes directly when nothing is pending (the common case), else after the last write. */
    private static void closeOnFlush(Channel ch) {
        if (!ch.isActive()) {
            close(ch);
            return;
        }
        ChannelOutboundBuffer buf = ch.unsafe().outboundBuffer();
        if (buf == null || buf.totalPendingWriteBytes() == 0) {
            close(ch);
        } else {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The backend side of the same connection. */
    private final class BackSide extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            lastTick = listener.tick();
            downBytes += ((ByteBuf) msg).readableBytes();
            front.write(msg, front.voidPromise());
            if (!front.isWritable()) {
                back.config().setAutoRead(false); // before flush: a flush that drains re-enables it
                recordQueued(front);
                front.flush();
                if (!backReceiveBufferBounded) { // the client is slow: bound what the kernel may hold for us
                    backReceiveBufferBounded = true;
                    back.config().setOption(ChannelOption.SO_RCVBUF, TcpListener.RECEIVE_BUFFER);
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (downBytes != 0) {
                front.flush();
                listener.countBytes(0, downBytes);
                backend.bytes(0, downBytes);
                downBytes = 0;
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (back.isWritable() && front.isActive()) {
                front.config().setAutoRead(true);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                backInputShut = true;
                if (frontInputShut) {
                    closeOnFlush(back);
                    closeOnFlush(front);
                } else {
                    shutdownOutputOnFlush(front);
                    // the input has ended: stop read interest, or level-triggered epoll wakes up for the EOF again
                    back.config().setAutoRead(false);
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(front);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof IOException) {
                backend.reset();
            }
            close(back);
        }
    }
}
