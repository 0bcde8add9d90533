package org.csemu.fabric.api.routes;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import org.csemu.fabric.api.TerminalFrames;
import org.csemu.fabric.api.TerminalSession;
import org.csemu.fabric.api.server.ApiRequest;

/**
 * The dashboard's terminal: the same session and {@link TerminalFrames} as {@code csemu shell}, carried one frame per
 * binary WebSocket message, because a browser can open a WebSocket but not a raw upgraded connection. The
 * subprotocol {@code csemu-terminal} is the one the server selects (the browser also offers the token's, see
 * {@link org.csemu.fabric.api.server.BearerToken}).
 */
final class WebSocketTerminal extends ChannelDuplexHandler {
    private static final int MAX_MESSAGE = TerminalFrames.HEADER_BYTES + TerminalFrames.MAX_PAYLOAD;

    private boolean closeSent;

    private WebSocketTerminal() {
    }

    /** On the event loop: the opening handshake (101 with {@code csemu-terminal}), then the relay. */
    static void attach(ChannelHandlerContext ctx, ApiRequest request, TerminalSession session, String name) {
        FullHttpRequest opening = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, request.path(),
                Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(request.path(),
                TerminalFrames.PROTOCOL, false, MAX_MESSAGE).newHandshaker(opening);
        if (handshaker == null) {
            session.close();
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ChannelHandler api = ctx.handler();
        handshaker.handshake(ctx.channel(), opening).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                session.close();
                f.channel().close();
                return;
            }
            TerminalRelay.start(f.channel(), api, session, name, new WebSocketFrameAggregator(MAX_MESSAGE),
                    new WebSocketTerminal());
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (frame instanceof BinaryWebSocketFrame) {
                ByteBuf b = frame.content();
                if (b.readableBytes() < TerminalFrames.HEADER_BYTES
                        || b.getInt(b.readerIndex() + 1) != b.readableBytes() - TerminalFrames.HEADER_BYTES) {
                    refuse(ctx, "a message must be one terminal frame (type, 4-byte length, payload); see docs/api.md");
                    return;
                }
                ctx.fireChannelRead(b.retain());
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame) {
                closeSent = true; // answered by the TCP close: the browser went away, the terminal is hung up
                ctx.close();
            } else if (!(frame instanceof PongWebSocketFrame)) {
                refuse(ctx, "text messages are not terminal frames: send binary messages");
            }
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
        ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(TerminalFrames.error(why))))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Each frame the relay writes becomes one binary message. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg instanceof ByteBuf b ? new BinaryWebSocketFrame(b) : msg, promise);
    }

    /** A normal close (1000) before the connection goes, so the browser sees a clean end after the exit code. */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (closeSent || !ctx.channel().isActive()) {
            ctx.close(promise);
            return;
        }
        closeSent = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(1000, "session ended"))
                .addListener(f -> ctx.close(promise));
    }
}
