package org.csemu.lb.tcp;

import static org.csemu.lb.tcp.ChannelEnds.closeOnFlush;
import static org.csemu.lb.tcp.ChannelEnds.shutdownOutputOnFlush;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
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
 *
 * <p><b>Redispatch</b>: until the backend sends its first byte, the client's bytes sent to it are kept
 * ({@link ReplayBuffer}, up to {@link ReplayBuffer#LIMIT} bytes). When the connect fails (refused), the backend resets, or it closes without
 * a byte after the client sent some, the connection moves to the next-best backend in rotation with those bytes
 * replayed, up to {@link #MAX_ATTEMPTS} backends, and the client never notices. A refused connect or a reset also
 * ejects the backend (passive health, {@link Backend#eject()}). After the first byte from a backend, a failure
 * closes the client's connection as before: the backend may have acted on the request.
 */
final class TcpRelay extends ChannelInboundHandlerAdapter implements Flow, ChannelFutureListener {

    /** Backends one connection may try: its first pick and up to two redispatches (HAProxy's {@code retries 3}). */
    static final int MAX_ATTEMPTS = 3;

    private final TcpListener listener;
    private final Channel front;
    private Channel back;
    private Backend backend;
    /** The handler of the current backend channel; callbacks of an abandoned one (before a redispatch) are ignored. */
    private BackSide side;
    private int attempts;
    /** The backends this connection failed on, or null. */
    private java.util.List<Backend> failed;
    /** Client bytes sent to the current backend, kept for a redispatch until it answers. */
    private final ReplayBuffer replay = new ReplayBuffer();
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
        listener.active.increment();
        connectTo(b);
        if (listener.rotationEmpty()) { // emptied between pick and registration: the Basic LB closes
            close(front);
        }
    }

    private void connectTo(Backend b) {
        attempts++;
        backend = b;
        b.flowOpened(this);
        side = new BackSide();
        back = listener.newBackendChannel(side);
        front.eventLoop().register(back);
        back.connect(b.address()).addListener(this);
    }

    /**
     * Moves the connection to the next-best backend after a failure before the current one sent a byte; false when
     * that is not allowed (answered, replay limit passed, client gone, attempts used, no other backend in rotation).
     */
    private boolean redispatch(boolean eject) {
        if (replay.committed() || !front.isActive() || attempts >= MAX_ATTEMPTS) {
            return false;
        }
        Backend from = backend;
        if (failed == null) {
            failed = new java.util.ArrayList<>(MAX_ATTEMPTS);
        }
        failed.add(from);
        if (eject) {
            from.eject();
        }
        Backend next = listener.pickExcluding(flowKey(), failed);
        if (next == null) {
            return false;
        }
        from.redispatched();
        from.flowClosed(this);
        Channel abandoned = back;
        front.config().setAutoRead(false); // until the new connect completes, like the first one
        connectTo(next);
        abandoned.close();
        return true;
    }

    /** After a redispatch: the new backend gets what the previous one was sent (counted for the backend only). */
    private void writeReplay() {
        long n = replay.replayTo(back);
        if (n >= 0) {
            backend.bytes(n, 0);
        }
    }

    private long flowKey() {
        InetSocketAddress remote = (InetSocketAddress) front.remoteAddress();
        return listener.key(remote.getAddress().hashCode(), remote.getPort());
    }

    /** The backend connect finished. */
    @Override
    public void operationComplete(ChannelFuture future) {
        if (future.channel() != back) {
            return; // a connect abandoned by a redispatch
        }
        if (future.isSuccess()) {
            writeReplay();
            if (held != null) {
                for (Object m : held) {
                    upBytes += ((ByteBuf) m).readableBytes();
                    replay.keep((ByteBuf) m);
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
            backend.connectFailed();
            if (!redispatch(true)) {
                releaseHeld();
                replay.release();
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
        replay.keep((ByteBuf) msg);
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
        replay.release();
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

    /** The backend side of the same connection. */
    private final class BackSide extends ChannelInboundHandlerAdapter {

        /** Failed before its first byte after the client sent some: worth a redispatch (see the class comment). */
        private boolean redispatchable() {
            return this == side && replay.holdsBytes();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (this != side) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (!replay.committed()) {
                replay.commit(); // the backend answered: it owns the request now
            }
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
            if (this == side && back.isWritable() && front.isActive()) {
                front.config().setAutoRead(true);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent && this == side) {
                if (redispatchable() && redispatch(false)) {
                    return; // closed without an answer: another backend gets the request
                }
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
            if (this != side || redispatchable() && redispatch(false)) {
                return;
            }
            closeOnFlush(front);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (this != side) {
                return;
            }
            if (cause instanceof IOException) {
                backend.reset();
                if (!replay.committed() && redispatch(true)) {
                    return;
                }
            }
            close(back);
        }
    }
}
