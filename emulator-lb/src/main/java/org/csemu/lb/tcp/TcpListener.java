package org.csemu.lb.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketChannelConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.csemu.lb.Distribution;
import org.csemu.lb.ListenerSpec;
import org.csemu.lb.core.Backend;
import org.csemu.lb.core.ListenerBase;
import org.csemu.lb.core.RendezvousHash;
import org.csemu.lb.net.Transport;

/**
 * A TCP listener on the VIP. With a native transport (epoll, io_uring) it binds one SO_REUSEPORT listening socket per event loop, so the kernel
 * spreads accepts and each connection's two channels live on the loop that accepted it; with NIO one listening socket
 * feeds all loops. Accepted channels get their handler directly (no ChannelInitializer, no Bootstrap per connection).
 */
public final class TcpListener extends ListenerBase {

    /** Bounds what the proxy queues for a slow peer: reading from the other side stops above the high mark. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    /**
     * Receive buffer of the sockets whose peer outruns the other side. Epoll reads everything the kernel holds once
     * the peer half-closes (EPOLLRDHUP), whatever autoRead says, so an autotuned multi-megabyte buffer would land in
     * the proxy's queue when a fast peer finishes in front of a slow one. A fixed buffer bounds that; loopback round
     * trips are short enough that it costs no throughput.
     */
    static final int RECEIVE_BUFFER = 64 * 1024;

    private final Transport transport;
    private volatile List<ServerSocketChannel> servers;
    private volatile Holder holder;
    private final Distribution distribution;
    private final int vipAddressHash;
    private final int vipPort;

    private TcpListener(ListenerSpec spec, Transport transport, List<ServerSocketChannel> servers, Holder holder,
                        int port, BiFunction<Backend, ListenerBase, AutoCloseable> probeStarter) {
        super(spec, spec.address(), port, probeStarter);
        this.transport = transport;
        this.servers = servers;
        this.holder = holder;
        this.distribution = spec.distribution();
        this.vipAddressHash = ((InetSocketAddress) servers.get(0).localAddress()).getAddress().hashCode();
        this.vipPort = port;
    }

    /** Binds on {@code port} (0: any) or throws; the caller moves on to the next candidate port. */
    public static TcpListener bind(ListenerSpec spec, Transport transport, int port,
                                   BiFunction<Backend, ListenerBase, AutoCloseable> probeStarter) throws Exception {
        InetAddress vip = InetAddress.getByName(spec.address());
        List<ServerSocketChannel> servers = new ArrayList<>();
        Holder holder = new Holder();
        try {
            List<EventLoop> loops = transport.isNative() ? transport.loops() : List.of(transport.next());
            int bound = port;
            for (EventLoop loop : loops) {
                ServerSocketChannel server = transport.newServerChannel();
                server.config().setOption(ChannelOption.SO_REUSEADDR, true);
                server.config().setOption(ChannelOption.SO_BACKLOG, 1024);
                server.config().setOption(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER); // inherited by accepted sockets
                if (transport.isNative()) {
                    server.config().setOption(transport.reusePortOption(), true);
                }
                server.pipeline().addLast(new Acceptor(holder, transport.isNative() ? null : transport));
                loop.register(server).sync();
                servers.add(server);
                server.bind(new InetSocketAddress(vip, bound)).sync();
                bound = ((InetSocketAddress) server.localAddress()).getPort();
            }
            TcpListener listener = new TcpListener(spec, transport, servers, holder, bound, probeStarter);
            holder.listener = listener;
            listener.startSweeper(transport.next());
            return listener;
        } catch (Exception e) {
            for (ServerSocketChannel s : servers) {
                s.close().syncUninterruptibly();
            }
            throw e;
        }
    }

    long key(int srcAddressHash, int srcPort) {
        return switch (distribution) {
            case FIVE_TUPLE -> RendezvousHash.key(srcAddressHash, srcPort, vipAddressHash, vipPort, 6);
            case SOURCE_IP -> RendezvousHash.key(srcAddressHash, 0, vipAddressHash, 0, 0);
            case SOURCE_IP_PROTOCOL -> RendezvousHash.key(srcAddressHash, 0, vipAddressHash, 0, 6);
        };
    }

    Channel newBackendChannel(ChannelHandler handler) {
        SocketChannel ch = transport.newSocketChannel();
        SocketChannelConfig c = ch.config();
        if (!transport.isNative()) {
            c.setTcpNoDelay(true); // epoll and io_uring channels start with TCP_NODELAY on; a second setsockopt is waste
        }
        c.setAllowHalfClosure(true);
        c.setWriteBufferWaterMark(WATER_MARK);
        // No connect timer per connection: a loopback connect is answered at once (SYN-ACK or RST); a connect that
        // never completes is closed by the idle sweep like any idle flow.
        c.setConnectTimeoutMillis(0);
        // SO_RCVBUF is set on the backend socket only once its client turns out slow (one syscall fewer per
        // connection); accepted sockets inherit it from the listening socket for free.
        ch.pipeline().addLast(handler);
        return ch;
    }

    @Override
    protected void checkReadmission(Backend backend) {
        SocketChannel ch = transport.newSocketChannel();
        ch.config().setConnectTimeoutMillis(1000);
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter());
        transport.next().register(ch).addListener(r -> {
            if (r.isSuccess()) {
                ch.connect(backend.address()).addListener(c -> {
                    if (c.isSuccess()) {
                        backend.readmit();
                    }
                    ch.close();
                });
            }
        });
    }

    @Override
    protected void unbind() {
        for (ServerSocketChannel s : servers) {
            s.close().syncUninterruptibly();
        }
    }

    @Override
    protected void exchangeSocketsWith(ListenerBase other) {
        TcpListener o = (TcpListener) other;
        List<ServerSocketChannel> mine = servers;
        Holder myHolder = holder;
        servers = o.servers;
        holder = o.holder;
        o.servers = mine;
        o.holder = myHolder;
        holder.listener = this; // the other socket's accepts reach this listener from here on
        o.holder.listener = o;
    }

    /** What a listening socket's acceptor hands its connections to; re-pointed by a swap. */
    private static final class Holder {
        volatile TcpListener listener;
    }

    /** Configures each accepted channel and registers it with its relay, like ServerBootstrap's acceptor but leaner. */
    @ChannelHandler.Sharable
    private static final class Acceptor extends ChannelInboundHandlerAdapter {
        private final Holder holder;
        private final Transport spreadOver; // NIO only: one listener feeds every loop

        Acceptor(Holder holder, Transport spreadOver) {
            this.holder = holder;
            this.spreadOver = spreadOver;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            SocketChannel child = (SocketChannel) msg;
            TcpListener listener = holder.listener;
            if (listener == null // bound but not yet published: refuse
                    || !listener.admits((InetSocketAddress) child.remoteAddress())) { // the endpoint ACL denies it
                child.unsafe().closeForcibly();
                return;
            }
            SocketChannelConfig c = child.config();
            c.setAutoRead(false);
            if (spreadOver != null) {
                c.setTcpNoDelay(true); // epoll and io_uring children start with TCP_NODELAY on
            }
            c.setAllowHalfClosure(true);
            c.setWriteBufferWaterMark(WATER_MARK);
            child.pipeline().addLast(new TcpRelay(listener, child));
            EventLoop loop = spreadOver == null ? ctx.channel().eventLoop() : spreadOver.next();
            loop.register(child);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // accept errors (e.g. too many open files) must not close the listening socket
        }
    }
}
