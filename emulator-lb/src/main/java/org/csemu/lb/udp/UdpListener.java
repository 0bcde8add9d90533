package org.csemu.lb.udp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.csemu.lb.ListenerSpec;
import org.csemu.lb.core.Backend;
import org.csemu.lb.core.Flow;
import org.csemu.lb.core.ListenerBase;
import org.csemu.lb.core.RendezvousHash;
import org.csemu.lb.net.Transport;

/**
 * A UDP listener on the VIP. Each client address:port is a flow with its own backend-facing socket, so replies find
 * their way back; a flow keeps its backend (the distribution hash is applied once, when the flow starts) and expires
 * after the idle timeout. Datagrams arriving while no backend is in rotation are dropped and counted as refused.
 */
public final class UdpListener extends ListenerBase {

    private final Transport transport;
    private volatile DatagramChannel front;
    private volatile Front frontHandler;
    private final InetAddress vip;
    private final int vipAddressHash;
    private final Map<InetSocketAddress, UdpFlow> flows = new ConcurrentHashMap<>();

    private UdpListener(ListenerSpec spec, Transport transport, DatagramChannel front, int port,
                        BiFunction<Backend, ListenerBase, AutoCloseable> probeStarter) {
        super(spec, spec.address(), port, probeStarter);
        this.transport = transport;
        this.front = front;
        InetSocketAddress local = (InetSocketAddress) front.localAddress();
        this.vip = local.getAddress();
        this.vipAddressHash = vip.hashCode();
    }

    public static UdpListener bind(ListenerSpec spec, Transport transport, int port,
                                   BiFunction<Backend, ListenerBase, AutoCloseable> probeStarter) throws Exception {
        DatagramChannel ch = transport.newDatagramChannel();
        Front handler = new Front();
        ch.pipeline().addLast(handler);
        EventLoop loop = transport.next();
        try {
            loop.register(ch).sync();
            ch.bind(new InetSocketAddress(InetAddress.getByName(spec.address()), port)).sync();
        } catch (Exception e) {
            ch.close().syncUninterruptibly();
            throw e;
        }
        UdpListener listener = new UdpListener(spec, transport, ch,
                ((InetSocketAddress) ch.localAddress()).getPort(), probeStarter);
        handler.listener = listener;
        listener.frontHandler = handler;
        listener.startSweeper(loop);
        return listener;
    }

    private long key(InetSocketAddress client) {
        int src = client.getAddress().hashCode();
        return switch (spec().distribution()) {
            case FIVE_TUPLE -> RendezvousHash.key(src, client.getPort(), vipAddressHash, port(), 17);
            case SOURCE_IP -> RendezvousHash.key(src, 0, vipAddressHash, 0, 0);
            case SOURCE_IP_PROTOCOL -> RendezvousHash.key(src, 0, vipAddressHash, 0, 17);
        };
    }

    private void fromClient(DatagramPacket packet) {
        InetSocketAddress client = packet.sender();
        UdpFlow flow = flows.get(client);
        if (flow == null) {
            if (!admits(client)) { // the endpoint ACL denies the source: dropped, never forwarded
                return;
            }
            accepted.increment();
            Backend b = pick(key(client));
            if (b == null) {
                refused.increment();
                return;
            }
            flow = new UdpFlow(client, b);
            if (!flow.open()) {
                return;
            }
        }
        flow.forward(packet);
    }

    @Override
    protected void checkReadmission(Backend backend) {
        // UDP has no failed forward to eject a backend for
    }

    @Override
    protected void unbind() {
        front.close().syncUninterruptibly();
    }

    @Override
    protected void exchangeSocketsWith(ListenerBase other) {
        UdpListener o = (UdpListener) other;
        DatagramChannel mine = front;
        Front myHandler = frontHandler;
        front = o.front;
        frontHandler = o.frontHandler;
        o.front = mine;
        o.frontHandler = myHandler;
        frontHandler.listener = this;
        o.frontHandler.listener = o;
    }

    /** The VIP socket's handler. */
    private static final class Front extends SimpleChannelInboundHandler<DatagramPacket> {
        volatile UdpListener listener;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            UdpListener l = listener;
            if (l != null) {
                l.fromClient(packet);
            }
        }
    }

    /** One client's flow: its own socket towards the backend. */
    private final class UdpFlow extends SimpleChannelInboundHandler<DatagramPacket> implements Flow {
        private final InetSocketAddress client;
        private final Backend backend;
        private final DatagramChannel replyFrom = front; // replies leave by the socket the flow came in on
        private DatagramChannel back;
        private volatile long lastTick;

        UdpFlow(InetSocketAddress client, Backend backend) {
            this.client = client;
            this.backend = backend;
            this.lastTick = tick();
        }

        boolean open() {
            back = transport.newDatagramChannel();
            back.pipeline().addLast(this);
            replyFrom.eventLoop().register(back);
            back.bind(new InetSocketAddress(vip, 0));
            if (!back.isOpen()) {
                backend.connectFailed();
                return false;
            }
            flows.put(client, this);
            active.increment();
            backend.flowOpened(this);
            back.closeFuture().addListener(f -> closed());
            return true;
        }

        void forward(DatagramPacket packet) {
            lastTick = tick();
            int n = packet.content().readableBytes();
            back.writeAndFlush(new DatagramPacket(packet.content().retain(), backend.address()));
            countBytes(n, 0);
            backend.bytes(n, 0);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket reply) {
            if (!reply.sender().equals(backend.address())) {
                return;
            }
            lastTick = tick();
            int n = reply.content().readableBytes();
            replyFrom.writeAndFlush(new DatagramPacket(reply.content().retain(), client));
            countBytes(0, n);
            backend.bytes(0, n);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable and the like: UDP has no connection to break; the flow expires when idle
        }

        private void closed() {
            if (flows.remove(client, this)) {
                active.decrement();
            }
            backend.flowClosed(this);
        }

        @Override
        public long lastActivityTick() {
            return lastTick;
        }

        @Override
        public void closeNow() {
            back.close();
        }
    }
}
