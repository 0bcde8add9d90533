package org.csemu.fabric.api.routes;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.csemu.fabric.api.TerminalFrames;
import org.csemu.fabric.api.TerminalSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over an API connection for one {@code csemu shell} session: answers {@code 101 Switching Protocols}, replaces
 * the HTTP handlers with the {@link TerminalFrames} framing, and relays both ways with backpressure. The guest's
 * output is pumped by one thread that waits for each frame to be written before it reads more; the user's input is
 * written to the guest by one thread while the connection stops reading. When the session ends, whatever it printed
 * is followed by its exit code and the connection closes; when the client goes away first, the terminal is hung up.
 * The transport is either the raw upgrade ({@link #attach}) or a WebSocket ({@link WebSocketTerminal}).
 */
final class TerminalRelay extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalRelay.class);
    /** How long the exit code may lag behind the end of the output (they travel on different guest channels). */
    private static final long EXIT_WAIT_SECONDS = 15;

    private final TerminalSession session;
    private final ExecutorService input;

    private TerminalRelay(TerminalSession session, String name) {
        this.session = session;
        this.input = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "csemu-shell-in[" + name + "]");
            t.setDaemon(true);
            return t;
        });
    }

    /** On the event loop: upgrade the connection ({@code Upgrade: csemu-terminal}) and start relaying. */
    static void attach(ChannelHandlerContext ctx, TerminalSession session, String name) {
        FullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.SWITCHING_PROTOCOLS, Unpooled.EMPTY_BUFFER);
        switching.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        switching.headers().set(HttpHeaderNames.UPGRADE, TerminalFrames.PROTOCOL);
        ChannelHandler api = ctx.handler();
        ctx.writeAndFlush(switching).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                session.close();
                f.channel().close();
                return;
            }
            if (f.channel().pipeline().get("http") != null) {
                f.channel().pipeline().remove("http");
            }
            start(f.channel(), api, session, name, new LengthFieldBasedFrameDecoder(
                    TerminalFrames.HEADER_BYTES + TerminalFrames.MAX_PAYLOAD, 1, 4, 0, 0));
        });
    }

    /**
     * Relays a session on a connection whose HTTP part is done: the API handler leaves, {@code framing} (handlers
     * that turn the transport into whole {@link TerminalFrames} frames as {@code ByteBuf}s, both ways) and the relay
     * take its place. One relay for both transports: the raw upgrade and the dashboard's WebSocket.
     */
    static void start(Channel channel, ChannelHandler api, TerminalSession session, String name,
            ChannelHandler... framing) {
        ChannelPipeline p = channel.pipeline();
        // a shell may sit idle for hours: no idle timeout, and no HTTP any more on this connection
        for (String h : new String[] {"idle", "flow"}) {
            if (p.get(h) != null) {
                p.remove(h);
            }
        }
        for (ChannelHandler h : framing) {
            p.addLast(h);
        }
        TerminalRelay relay = new TerminalRelay(session, name);
        p.addLast("terminal", relay);
        p.remove(api);
        relay.startOutputPump(channel);
    }

    private void startOutputPump(Channel channel) {
        Thread pump = new Thread(() -> pumpOutput(channel), "csemu-shell-out[" + channel.id().asShortText() + "]");
        pump.setDaemon(true);
        pump.start();
    }

    private void pumpOutput(Channel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (channel.isActive()) {
                buffer.clear();
                int n = session.read(buffer);
                if (n < 0) {
                    break;
                }
                buffer.flip();
                // waiting for each write keeps at most one frame in flight: a slow client slows the guest, no queue
                channel.writeAndFlush(Unpooled.wrappedBuffer(TerminalFrames.frame(TerminalFrames.OUTPUT, buffer)))
                        .sync();
            }
            if (!channel.isActive()) {
                return;
            }
            for (String notice : session.notices()) {
                ByteBuffer text = ByteBuffer.wrap((notice + "\r\n").getBytes(StandardCharsets.UTF_8));
                channel.writeAndFlush(Unpooled.wrappedBuffer(TerminalFrames.frame(TerminalFrames.OUTPUT, text))).sync();
            }
            ByteBuffer last;
            try {
                last = TerminalFrames.exit(session.exit().get(EXIT_WAIT_SECONDS, TimeUnit.SECONDS));
            } catch (ExecutionException | CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                last = TerminalFrames.error("the shell's guest went away: " + cause.getMessage());
            } catch (TimeoutException e) {
                last = TerminalFrames.error("the shell ended but the guest agent did not report its exit code within "
                        + EXIT_WAIT_SECONDS + " s");
            }
            channel.writeAndFlush(Unpooled.wrappedBuffer(last)).addListener(ChannelFutureListener.CLOSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
        } catch (Exception e) {
            LOG.debug("shell relay on {} ended: {}", channel, e.toString());
            channel.close();
        } finally {
            session.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            byte type = frame.readByte();
            int length = frame.readInt();
            ByteBuffer payload = ByteBuffer.allocate(length);
            frame.readBytes(payload);
            payload.flip();
            if (type == TerminalFrames.INPUT) {
                ctx.channel().config().setAutoRead(false);
                input.execute(() -> {
                    try {
                        session.write(payload);
                        ctx.channel().config().setAutoRead(true);
                    } catch (Exception e) {
                        LOG.debug("shell input on {} failed: {}", ctx.channel(), e.toString());
                        ctx.channel().close();
                    }
                });
            } else if (type == TerminalFrames.RESIZE && length == 4) {
                int rows = Short.toUnsignedInt(payload.getShort());
                int cols = Short.toUnsignedInt(payload.getShort());
                input.execute(() -> {
                    try {
                        session.resize(Math.max(rows, 1), Math.max(cols, 1));
                    } catch (Exception e) {
                        LOG.debug("shell resize on {} failed: {}", ctx.channel(), e.toString());
                    }
                });
            } else {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(TerminalFrames.error("unknown terminal frame type "
                        + (char) type + " of " + length + " bytes; see docs/api.md")))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        input.shutdown();
        session.close();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("shell connection {} failed: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
