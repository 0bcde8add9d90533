package org.csemu.lb.net;

import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The event loops and channel types. Native transports where they load (SO_REUSEPORT, fewer copies and syscalls),
 * NIO otherwise: io_uring first (fewest syscalls per connection), then epoll, then NIO; the choice is logged once
 * per load balancer. Which native one is preferred is {@link #DEFAULT_NATIVE}; the system property
 * {@value #PROPERTY} ({@code io_uring}, {@code epoll} or {@code nio}) forces one, for benchmarks and tests, and fails
 * loudly when the forced transport cannot load. Channels are created directly rather than through a Bootstrap per
 * connection.
 */
public final class Transport implements AutoCloseable {

    /** System property that forces a transport: {@code io_uring}, {@code epoll} or {@code nio}. */
    public static final String PROPERTY = "csemu.lb.transport";

    /** The kinds of transport, in the order they are tried when none is forced. */
    public enum Kind {
        IO_URING("io_uring"), EPOLL("epoll"), NIO("nio");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        boolean isAvailable() {
            return switch (this) {
                case IO_URING -> IoUring.isAvailable();
                case EPOLL -> Epoll.isAvailable();
                case NIO -> true;
            };
        }

        Throwable unavailabilityCause() {
            return switch (this) {
                case IO_URING -> IoUring.unavailabilityCause();
                case EPOLL -> Epoll.unavailabilityCause();
                case NIO -> null;
            };
        }

        static Kind parse(String value) {
            for (Kind k : values()) {
                if (k.label.equals(value.trim().toLowerCase(Locale.ROOT).replace('-', '_'))) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown " + PROPERTY + " '" + value + "'; use io_uring, epoll or nio");
        }
    }

    /**
     * The native transport tried first when the native transport is preferred and none is forced: io_uring, which
     * costs about 20 us less CPU per proxied connection than epoll (docs/benchmarks/lb.md, "io_uring").
     */
    public static final Kind DEFAULT_NATIVE = Kind.IO_URING;

    /**
     * Netty's switch for multishot POLL_ADD on io_uring. Turned off (unless set explicitly) because with it Netty
     * 4.2.18 can lose a read wake-up: a multishot POLLIN completion that arrives while a recv is in flight is
     * dropped, and if that recv's "socket empty" snapshot predates the new bytes, nothing reads them until the peer
     * sends again. A peer that then waits for us (a full receive buffer, a request waiting for its answer) stalls
     * for good. One-shot polls are re-armed after every drained read and check readiness when armed, so no wake-up
     * is lost. Must be set before Netty's IoUring class initialises.
     */
    static final String IO_URING_MULTISHOT_POLL_PROPERTY = "io.netty.iouring.pollAddMultishotEnabled";

    static {
        if (System.getProperty(IO_URING_MULTISHOT_POLL_PROPERTY) == null) {
            System.setProperty(IO_URING_MULTISHOT_POLL_PROPERTY, "false");
        }
    }

    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(Transport.class);

    private final Kind kind;
    private final EventLoopGroup group;
    private final List<EventLoop> loops = new ArrayList<>();

    private Transport(Kind kind, int threads) {
        this.kind = kind;
        IoHandlerFactory factory = switch (kind) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("csemu-lb", true), factory);
        for (EventExecutor e : group) {
            loops.add((EventLoop) e);
        }
    }

    /**
     * NIO when native is not preferred; else the forced transport ({@value #PROPERTY}) if set, else
     * {@link #DEFAULT_NATIVE} then the other native one if available, else NIO.
     */
    public static Transport create(int threads, boolean preferNative) {
        Kind kind = choose(System.getProperty(PROPERTY), preferNative);
        if (LOG.isInfoEnabled()) {
            LOG.info("VIP load balancer transport: {} ({} event loop(s){})", kind.label(), Math.max(1, threads),
                    kind == DEFAULT_NATIVE ? "" : why(preferNative));
        }
        return new Transport(kind, Math.max(1, threads));
    }

    private static String why(boolean preferNative) {
        if (!preferNative) {
            return "; native transports not preferred";
        }
        String forced = System.getProperty(PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return "; forced by " + PROPERTY;
        }
        return "; " + DEFAULT_NATIVE.label() + " unavailable: " + DEFAULT_NATIVE.unavailabilityCause();
    }

    static Kind choose(String forced, boolean preferNative) {
        if (!preferNative) {
            return Kind.NIO;
        }
        if (forced != null && !forced.isBlank()) {
            Kind k = Kind.parse(forced);
            if (!k.isAvailable()) {
                throw new IllegalStateException(PROPERTY + "=" + k.label() + " but it is not available here: "
                        + k.unavailabilityCause(), k.unavailabilityCause());
            }
            return k;
        }
        Kind other = DEFAULT_NATIVE == Kind.EPOLL ? Kind.IO_URING : Kind.EPOLL;
        for (Kind k : List.of(DEFAULT_NATIVE, other)) {
            if (k.isAvailable()) {
                return k;
            }
        }
        return Kind.NIO;
    }

    public Kind kind() {
        return kind;
    }

    /** True for a native transport (epoll or io_uring): SO_REUSEPORT listeners, one per event loop. */
    public boolean isNative() {
        return kind != Kind.NIO;
    }

    public String name() {
        return kind.label();
    }

    public List<EventLoop> loops() {
        return loops;
    }

    public EventLoop next() {
        return (EventLoop) group.next();
    }

    /** The transport's SO_REUSEPORT option; null for NIO. */
    public ChannelOption<Boolean> reusePortOption() {
        return switch (kind) {
            case IO_URING -> IoUringChannelOption.SO_REUSEPORT;
            case EPOLL -> EpollChannelOption.SO_REUSEPORT;
            case NIO -> null;
        };
    }

    // Every address is in 127/8, so sockets are plain IPv4 where the channel type allows choosing: no dual-stack IPv6
    // socket, no IPV6_V6ONLY setsockopt, no mapped addresses to convert on every accept and connect.

    public ServerSocketChannel newServerChannel() {
        return switch (kind) {
            case IO_URING -> new IoUringServerSocketChannel();
            case EPOLL -> new EpollServerSocketChannel(SocketProtocolFamily.INET);
            case NIO -> new NioServerSocketChannel();
        };
    }

    public SocketChannel newSocketChannel() {
        return switch (kind) {
            case IO_URING -> new IoUringSocketChannel();
            case EPOLL -> new EpollSocketChannel(SocketProtocolFamily.INET);
            case NIO -> new NioSocketChannel();
        };
    }

    public DatagramChannel newDatagramChannel() {
        return switch (kind) {
            case IO_URING -> new IoUringDatagramChannel(SocketProtocolFamily.INET);
            case EPOLL -> new EpollDatagramChannel(SocketProtocolFamily.INET);
            case NIO -> new NioDatagramChannel();
        };
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
