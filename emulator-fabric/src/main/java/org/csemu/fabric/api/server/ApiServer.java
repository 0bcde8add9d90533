package org.csemu.fabric.api.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management API's HTTP/1.1 server (Netty): bound to 127.0.0.1 or to a unix socket, never elsewhere. Requests
 * are checked and received by {@link ApiChannelHandler}; routes run on a bounded worker pool.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final int MAX_INITIAL_LINE = 8192;
    private static final int MAX_HEADER_SIZE = 16384;
    private static final int IDLE_SECONDS = 300;

    private final ApiServerConfig config;
    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ExecutorService workers;
    private final ChannelGroup channels = new DefaultChannelGroup("csemu-api", GlobalEventExecutor.INSTANCE);
    private final Channel serverChannel;

    private ApiServer(ApiServerConfig config, Router router) throws IOException, InterruptedException {
        this.config = config;
        this.workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1024), named("csemu-api-worker"), new ThreadPoolExecutor.AbortPolicy());
        boolean unix = config.binding() instanceof ApiBinding.UnixSocket;
        if (unix && !Epoll.isAvailable()) {
            throw new IOException("unix sockets need Netty's native epoll transport, which is unavailable here: "
                    + Epoll.unavailabilityCause());
        }
        this.boss = new MultiThreadIoEventLoopGroup(1, named("csemu-api-accept"),
                unix ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.io = new MultiThreadIoEventLoopGroup(2, named("csemu-api-io"),
                unix ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        StaticFiles staticFiles = new StaticFiles("/dashboard");
        try {
            Class<? extends ServerChannel> channelClass = unix
                    ? EpollServerDomainSocketChannel.class : NioServerSocketChannel.class;
            SocketAddress bindAddress;
            if (config.binding() instanceof ApiBinding.UnixSocket s) {
                Files.createDirectories(s.path().toAbsolutePath().getParent());
                if (Files.exists(s.path(), LinkOption.NOFOLLOW_LINKS)) {
                    // a socket left by a daemon that died; anything else is not ours to delete
                    if (!Files.readAttributes(s.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                        throw new IOException(s.path() + " exists and is not a socket; choose another --socket path");
                    }
                    Files.delete(s.path());
                }
                bindAddress = new DomainSocketAddress(s.path().toFile());
            } else {
                ApiBinding.Loopback l = (ApiBinding.Loopback) config.binding();
                bindAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), l.port());
            }
            ServerBootstrap b = new ServerBootstrap()
                    .group(boss, io)
                    .channel(channelClass)
                    .option(ChannelOption.SO_BACKLOG, 256)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            channels.add(ch);
                            HostOriginPolicy policy = unix ? null
                                    : new HostOriginPolicy(((InetSocketAddress) ch.parent().localAddress()).getPort());
                            // a connection with no traffic either way for this long is closed (event streams send
                            // keep-alives, so they never are)
                            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS));
                            ch.pipeline().addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 65536));
                            // holds pipelined requests while one is processed (auto-read off), in order
                            ch.pipeline().addLast("flow", new FlowControlHandler());
                            ch.pipeline().addLast("api", new ApiChannelHandler(config, router, policy, unix, workers,
                                    staticFiles));
                        }
                    });
            if (!unix) {
                b.option(ChannelOption.SO_REUSEADDR, true);
            }
            this.serverChannel = b.bind(bindAddress).sync().channel();
            if (config.binding() instanceof ApiBinding.UnixSocket s) {
                Files.setPosixFilePermissions(s.path(), PosixFilePermissions.fromString("rw-------"));
            }
            LOG.info("management API listening on {}", describe());
        } catch (IOException | InterruptedException | RuntimeException e) {
            shutdownGroups();
            throw e;
        }
    }

    /** Binds and starts serving {@code router}; the caller closes the server. */
    public static ApiServer start(ApiServerConfig config, Router router) throws IOException, InterruptedException {
        try {
            return new ApiServer(config, router);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + describe(config.binding()) + ": " + e.getMessage(), e);
        }
    }

    private static String describe(ApiBinding b) {
        return b instanceof ApiBinding.UnixSocket s ? "unix socket " + s.path()
                : "127.0.0.1 port " + ((ApiBinding.Loopback) b).port();
    }

    /** The bound TCP port, or -1 on a unix socket. */
    public int port() {
        SocketAddress a = serverChannel == null ? null : serverChannel.localAddress();
        return a instanceof InetSocketAddress inet ? inet.getPort() : -1;
    }

    /** {@code http://127.0.0.1:<port>} or {@code unix:<path>}. */
    public String describe() {
        if (config.binding() instanceof ApiBinding.UnixSocket s) {
            return "unix:" + s.path();
        }
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        try {
            if (serverChannel != null) {
                serverChannel.close().syncUninterruptibly();
            }
            channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        } finally {
            shutdownGroups();
            if (config.binding() instanceof ApiBinding.UnixSocket s) {
                try {
                    Files.deleteIfExists(s.path());
                } catch (IOException e) {
                    LOG.warn("cannot remove socket {}: {}", s.path(), e.toString());
                }
            }
            LOG.info("management API stopped");
        }
    }

    private void shutdownGroups() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
