package org.csemu.fabric.api.routes;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csemu.fabric.api.server.Json;

/**
 * One {@code exec} response, streamed as the guest prints: newline-delimited JSON, {@code {"output": line}} per line
 * of the command's output, then one {@code {"exitCode": n}} (or {@code {"error": message}} when the guest went away).
 * Lines that arrive before the response is attached are held; afterwards every write runs on the channel's event
 * loop, in order. Empty lines are keepalives.
 */
final class ExecStream {
    static final String CONTENT_TYPE = "application/x-ndjson; charset=utf-8";
    private static final long KEEPALIVE_SECONDS = 5;

    private final Object lock = new Object();
    private final List<String> held = new ArrayList<>();
    private ChannelHandlerContext ctx; // guarded by lock
    private boolean ended; // guarded by lock

    /** A line of the command's output (any thread). */
    void output(String line) {
        emit(json("output", line), false);
    }

    /** The command ended with {@code exitCode}, or failed with {@code failure} (any thread). */
    void ended(Integer exitCode, Throwable failure) {
        emit(failure == null ? json("exitCode", exitCode) : json("error", message(failure)), true);
    }

    /** On the event loop: send the head and what is held; later lines follow as they come. */
    void attach(ChannelHandlerContext context) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setTransferEncodingChunked(head, true);
        // the connection closes after the last chunk: say so, or a keep-alive client sends its next request on it
        // and gets nothing back (seen once in a fresh run: ApiServerTest's request after an exec read EOF)
        HttpUtil.setKeepAlive(head, false);
        context.write(head);
        List<String> pending;
        boolean end;
        synchronized (lock) {
            ctx = context;
            pending = new ArrayList<>(held);
            held.clear();
            end = ended;
        }
        pending.forEach(l -> write(context, l));
        if (end) {
            finish(context);
            return;
        }
        // a command may print nothing for a long time: an empty line now and then keeps the connection from idling out
        io.netty.util.concurrent.ScheduledFuture<?> keepalive = context.executor().scheduleAtFixedRate(
                () -> write(context, ""), KEEPALIVE_SECONDS, KEEPALIVE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        context.channel().closeFuture().addListener(f -> keepalive.cancel(false));
    }

    private void emit(String line, boolean last) {
        ChannelHandlerContext c;
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = last;
            c = ctx;
            if (c == null) {
                held.add(line);
                return;
            }
        }
        c.executor().execute(() -> {
            write(c, line);
            if (last) {
                finish(c);
            }
        });
    }

    private static void write(ChannelHandlerContext c, String line) {
        if (c.channel().isActive()) {
            c.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(line + "\n", StandardCharsets.UTF_8)))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    private static void finish(ChannelHandlerContext c) {
        if (c.channel().isActive()) {
            c.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String json(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return new String(Json.write(m), StandardCharsets.UTF_8);
    }

    private static String message(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                ? t.getCause() : t;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
