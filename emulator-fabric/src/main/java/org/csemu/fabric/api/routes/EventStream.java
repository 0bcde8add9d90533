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
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csemu.fabric.api.EventSubscription;
import org.csemu.fabric.api.EventView;
import org.csemu.fabric.api.FabricService;
import org.csemu.fabric.api.server.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-sent-events connection. It subscribes first and reads the backlog (events after
 * {@code Last-Event-ID}) second, holding live events meanwhile; once attached to the connection every write runs
 * on the channel's event loop, in sequence order, without duplicates. A client too slow to keep up (the channel
 * stops being writable) is disconnected rather than buffered without bound; it resumes with {@code Last-Event-ID}.
 */
final class EventStream {

    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final int BACKLOG_PAGE = 1000;

    private final FabricService fabric;
    private final String deploymentId;
    private final long heartbeatMillis;
    private final Object lock = new Object();
    private final List<EventView> held = new ArrayList<>();

    private ChannelHandlerContext ctx; // guarded by lock until attached; then event-loop only
    private long lastSent;
    private EventSubscription subscription;
    private ScheduledFuture<?> heartbeat;

    EventStream(FabricService fabric, String deploymentId, long heartbeatMillis) {
        this.fabric = fabric;
        this.deploymentId = deploymentId;
        this.heartbeatMillis = heartbeatMillis;
    }

    /** On a worker thread: subscribe, then read what happened after {@code resumeAfter} (none when negative). */
    List<EventView> subscribeAndReadBacklog(long resumeAfter) {
        lastSent = resumeAfter;
        subscription = fabric.subscribe(this::onLive);
        if (resumeAfter < 0) {
            return List.of();
        }
        try {
            List<EventView> all = new ArrayList<>();
            long after = resumeAfter;
            while (true) {
                List<EventView> page = fabric.events(deploymentId, after, BACKLOG_PAGE);
                all.addAll(page);
                if (page.size() < BACKLOG_PAGE) {
                    return all;
                }
                after = page.get(page.size() - 1).sequence();
            }
        } catch (RuntimeException e) {
            subscription.close();
            throw e;
        }
    }

    /** On the event loop: send the response head, the backlog, the held events, and from now on live ones. */
    void attach(ChannelHandlerContext context, List<EventView> backlog) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        head.headers().set("X-Accel-Buffering", "no");
        HttpUtil.setTransferEncodingChunked(head, true);
        context.write(head);
        List<EventView> pending;
        synchronized (lock) {
            ctx = context;
            pending = new ArrayList<>(held);
            held.clear();
        }
        context.channel().closeFuture().addListener(f -> stop());
        writeRaw("retry: 3000\n\n");
        backlog.forEach(this::send);
        pending.sort(Comparator.comparingLong(EventView::sequence));
        pending.forEach(this::send);
        heartbeat = context.executor().scheduleAtFixedRate(() -> writeRaw(": keepalive\n\n"), heartbeatMillis,
                heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    private void onLive(EventView e) {
        if (deploymentId != null && !deploymentId.equals(e.deploymentId())) {
            return;
        }
        ChannelHandlerContext c;
        synchronized (lock) {
            c = ctx;
            if (c == null) {
                held.add(e);
                return;
            }
        }
        c.executor().execute(() -> send(e));
    }

    private void send(EventView e) {
        if (e.sequence() <= lastSent || !ctx.channel().isActive()) {
            return;
        }
        if (!ctx.channel().isWritable()) {
            LOG.warn("event stream client {} is too slow; disconnecting it (it can resume with Last-Event-ID {})",
                    ctx.channel().remoteAddress(), lastSent);
            ctx.close();
            return;
        }
        lastSent = e.sequence();
        writeRaw("id: " + e.sequence() + "\nevent: " + e.type() + "\ndata: "
                + new String(Json.write(e), StandardCharsets.UTF_8) + "\n\n");
    }

    private void writeRaw(String s) {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8)))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    private void stop() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (subscription != null) {
            subscription.close();
        }
    }
}
