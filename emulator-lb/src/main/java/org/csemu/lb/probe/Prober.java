package org.csemu.lb.probe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.csemu.lb.ProbeSpec;
import org.csemu.lb.ProbeState;
import org.csemu.lb.ProbeStatus;
import org.csemu.lb.core.Backend;
import org.csemu.lb.net.Transport;

/**
 * Runs one backend's {@code LoadBalancerProbe} from the LB against the backend's loopback address, every interval.
 * Rules (the model's): healthy after the first success; an http answer other than 200 marks it down at once; no
 * success for {@code timeout} (refused, reset, no answer) marks it down. Each attempt gives up after the interval, so
 * attempts never overlap. All state lives on one event loop; {@link #status()} publishes an immutable snapshot.
 */
public final class Prober implements AutoCloseable {

    private static final int MAX_STATUS_LINE = 256;

    private final ProbeSpec spec;
    private final Backend backend;
    private final Transport transport;
    private final EventLoop loop;
    private final InetSocketAddress target;
    private final long intervalNanos;
    private final long timeoutNanos;
    private volatile ProbeStatus status;
    private volatile boolean closed;
    private long lastSuccessNanos;
    private ScheduledFuture<?> next;
    private ScheduledFuture<?> deadline;

    private Prober(ProbeSpec spec, Backend backend, Transport transport) {
        this.spec = spec;
        this.backend = backend;
        this.transport = transport;
        this.loop = transport.next();
        this.target = new InetSocketAddress(backend.address().getAddress(),
                spec.port() == 0 ? backend.port() : spec.port());
        this.intervalNanos = spec.interval().toNanos();
        this.timeoutNanos = spec.timeout().toNanos();
        this.status = new ProbeStatus(ProbeState.UNKNOWN, "", Instant.now(), null, 0, 0);
        this.lastSuccessNanos = System.nanoTime();
    }

    /** Starts probing at once. */
    public static Prober start(ProbeSpec spec, Backend backend, Transport transport) {
        Prober p = new Prober(spec, backend, transport);
        backend.probeStatusSource(p::status);
        p.loop.execute(p::attempt);
        return p;
    }

    public ProbeStatus status() {
        return status;
    }

    @Override
    public void close() {
        closed = true;
        loop.execute(() -> {
            if (next != null) {
                next.cancel(false);
            }
            if (deadline != null) {
                deadline.cancel(false);
            }
        });
    }

    private void attempt() {
        if (closed) {
            return;
        }
        long started = System.nanoTime();
        Attempt a = new Attempt(started);
        SocketChannel ch = transport.newSocketChannel();
        ch.config().setConnectTimeoutMillis((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(intervalNanos)));
        ch.pipeline().addLast(a);
        a.channel = ch;
        loop.register(ch);
        a.timer = loop.schedule(() -> a.fail("timeout", false), intervalNanos, TimeUnit.NANOSECONDS);
        ch.connect(target).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                a.fail(describe(f.cause()), false);
            } else if (spec.kind() == ProbeSpec.Kind.TCP) {
                a.succeed("tcp connect");
            } else {
                String request = "GET " + spec.path() + " HTTP/1.1\r\nHost: " + target.getAddress().getHostAddress()
                        + ":" + target.getPort() + "\r\nUser-Agent: csemu-lb-probe\r\nConnection: close\r\n\r\n";
                ch.writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
            }
        });
    }

    private static String describe(Throwable cause) {
        if (cause instanceof ConnectException) {
            return "connect refused";
        }
        return cause == null ? "failed" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private void result(long started, boolean success, boolean downAtOnce, String what) {
        long now = System.nanoTime();
        ProbeStatus before = status;
        ProbeState state;
        int failures;
        if (success) {
            lastSuccessNanos = now;
            state = ProbeState.UP;
            failures = 0;
            armDeadline();
        } else {
            failures = before.consecutiveFailures() + 1;
            boolean expired = now - lastSuccessNanos >= timeoutNanos;
            state = downAtOnce || expired || before.state() != ProbeState.UP ? ProbeState.DOWN : ProbeState.UP;
        }
        Instant at = Instant.now();
        status = new ProbeStatus(state, what, state != before.state() ? at : before.lastChange(), at, failures,
                before.probes() + 1);
        backend.probeUp(state == ProbeState.UP);
        if (!closed) {
            long delay = Math.max(0, started + intervalNanos - now);
            next = loop.schedule(this::attempt, delay, TimeUnit.NANOSECONDS);
        }
    }

    /** No success within the timeout after this one marks the backend down even while an attempt still hangs. */
    private void armDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
        long successAt = lastSuccessNanos;
        deadline = loop.schedule(() -> {
            ProbeStatus s = status;
            if (!closed && lastSuccessNanos == successAt && s.state() == ProbeState.UP) {
                Instant at = Instant.now();
                status = new ProbeStatus(ProbeState.DOWN, "no success within the timeout", at, s.lastProbe(),
                        s.consecutiveFailures(), s.probes());
                backend.probeUp(false);
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** One probe attempt: its channel, its timer, and (for http) the status line parser. */
    private final class Attempt extends ChannelInboundHandlerAdapter {
        private final long started;
        private final StringBuilder line = new StringBuilder();
        Channel channel;
        ScheduledFuture<?> timer;
        private boolean done;

        Attempt(long started) {
            this.started = started;
        }

        void succeed(String what) {
            finish(true, false, what);
        }

        void fail(String what, boolean downAtOnce) {
            finish(false, downAtOnce, what);
        }

        private void finish(boolean success, boolean downAtOnce, String what) {
            if (done) {
                return;
            }
            done = true;
            if (timer != null) {
                timer.cancel(false);
            }
            channel.close();
            result(started, success, downAtOnce, what);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                while (buf.isReadable() && !done) {
                    char c = (char) buf.readByte();
                    if (c == '\n' || line.length() > MAX_STATUS_LINE) {
                        statusLine(line.toString().trim());
                    } else {
                        line.append(c);
                    }
                }
            } finally {
                buf.release();
            }
        }

        private void statusLine(String l) {
            String[] parts = l.split(" ", 3);
            if (parts.length >= 2 && parts[0].startsWith("HTTP/")) {
                if ("200".equals(parts[1])) {
                    succeed("HTTP 200");
                } else {
                    fail("HTTP " + parts[1], true);
                }
            } else {
                fail("not an HTTP answer", true);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(line.length() == 0 ? "closed without an answer" : "closed mid status line", false);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(describe(cause), false);
        }
    }
}
