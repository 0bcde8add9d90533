package org.csemu.lb.net;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
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
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The event loops and channel types: native epoll where it loads (SO_REUSEPORT, fewer copies and syscalls), NIO
 * otherwise. Channels are created directly rather than through a Bootstrap per connection.
 */
public final class Transport implements AutoCloseable {

    private final boolean epoll;
    private final EventLoopGroup group;
    private final List<EventLoop> loops = new ArrayList<>();

    private Transport(boolean epoll, int threads) {
        this.epoll = epoll;
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("csemu-lb", true), factory);
        for (EventExecutor e : group) {
            loops.add((EventLoop) e);
        }
    }

    /** Epoll when preferred and available, else NIO. */
    public static Transport create(int threads, boolean preferNative) {
        return new Transport(preferNative && Epoll.isAvailable(), Math.max(1, threads));
    }

    public boolean isEpoll() {
        return epoll;
    }

    public String name() {
        return epoll ? "epoll" : "nio";
    }

    public List<EventLoop> loops() {
        return loops;
    }

    public EventLoop next() {
        return (EventLoop) group.next();
    }

    // Every address is in 127/8, so sockets are plain IPv4: no dual-stack IPv6 socket, no IPV6_V6ONLY setsockopt,
    // no mapped addresses to convert on every accept and connect.

    public ServerSocketChannel newServerChannel() {
        return epoll ? new EpollServerSocketChannel(SocketProtocolFamily.INET) : new NioServerSocketChannel();
    }

    public SocketChannel newSocketChannel() {
        return epoll ? new EpollSocketChannel(SocketProtocolFamily.INET) : new NioSocketChannel();
    }

    public DatagramChannel newDatagramChannel() {
        return epoll ? new EpollDatagramChannel(SocketProtocolFamily.INET) : new NioDatagramChannel();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
