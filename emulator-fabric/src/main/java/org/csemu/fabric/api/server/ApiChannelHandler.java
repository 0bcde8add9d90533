package org.csemu.fabric.api.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's request cycle. The checks run as soon as the request head arrives, before any body is read:
 * peer address, {@code Host}/{@code Origin}, bearer token, route, content type, declared length. The body is then
 * received within its limit ({@link RequestBody}: in memory, streamed to a file, or a multipart form), and the route
 * runs on a worker thread while the connection stops reading (responses stay in request order). A refusal is
 * answered with a JSON error; its body, if any, is drained (up to a budget) so the client sees the answer, and the
 * connection survives when it can.
 */
final class ApiChannelHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ApiChannelHandler.class);
    private static final long DISCARD_BUDGET = 16L << 20;

    private final ApiServerConfig config;
    private final Router router;
    private final BearerToken token;
    private final HostOriginPolicy hostPolicy;
    private final boolean unixSocket;
    private final ExecutorService workers;
    private final StaticFiles staticFiles;

    private enum Phase { IDLE, RECEIVING, DISCARDING, PROCESSING }

    private Phase phase = Phase.IDLE;
    private HttpRequest request;
    private Router.Match match;
    private String staticPath;
    private String mediaType;
    private QueryStringDecoder query;
    /** The body of the request being received, or null. */
    private RequestBody body;
    private long discarded;
    private boolean closeAfterDiscard;

    ApiChannelHandler(ApiServerConfig config, Router router, HostOriginPolicy hostPolicy, boolean unixSocket,
            ExecutorService workers, StaticFiles staticFiles) {
        this.config = config;
        this.router = router;
        this.token = new BearerToken(config.token());
        this.hostPolicy = hostPolicy;
        this.unixSocket = unixSocket;
        this.workers = workers;
        this.staticFiles = staticFiles;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req) {
                onRequest(ctx, req);
            }
            if (msg instanceof HttpContent content) {
                onContent(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest req) {
        if (phase != Phase.IDLE) {
            // the codec delivered a new head before the previous body ended: a protocol violation
            resetBody();
            fail(ctx, 400, "BadRequest", "unexpected request head", true);
            return;
        }
        request = req;
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            int status = cause instanceof TooLongFrameException ? 431 : 400;
            fail(ctx, status, "BadRequest", "malformed HTTP request: " + cause.getMessage(), true);
            return;
        }
        if (!PeerPolicy.isAllowed(ctx.channel().remoteAddress(), unixSocket)) {
            LOG.warn("refused a request from non-loopback peer {}", ctx.channel().remoteAddress());
            fail(ctx, 403, "ForbiddenPeer", "the management API serves this machine only", true);
            return;
        }
        if (hostPolicy != null) {
            String host = req.headers().get(HttpHeaderNames.HOST);
            if (!hostPolicy.isAllowedHost(host)) {
                fail(ctx, 403, "ForbiddenHost", "Host '" + host + "' is not this server; use 127.0.0.1, localhost or"
                        + " [::1] with the port", false);
                return;
            }
            String origin = req.headers().get(HttpHeaderNames.ORIGIN);
            if (!hostPolicy.isAllowedOrigin(origin, host)) {
                fail(ctx, 403, "ForbiddenOrigin", "Origin '" + origin + "' is not this server", false);
                return;
            }
        }
        query = new QueryStringDecoder(req.uri());
        String path = query.rawPath();
        if (!path.startsWith("/api/") && !path.equals("/api")) {
            if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
                fail(ctx, 405, "MethodNotAllowed", "static files are read with GET", false);
                return;
            }
            staticPath = path;
            match = null;
            startReceiving(ctx, req, null, 0);
            return;
        }
        if (!token.matches(req.headers().get(HttpHeaderNames.AUTHORIZATION)) && !(isWebSocketUpgrade(req)
                && token.matchesWebSocketProtocols(req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)))) {
            fail(ctx, 401, "Unauthorized", "missing or wrong bearer token; it is in the file api.token of the"
                    + " daemon's data directory", false);
            return;
        }
        match = router.match(req.method(), path);
        if (!match.found()) {
            if (match.pathExists()) {
                fail(ctx, 405, "MethodNotAllowed", req.method() + " is not allowed on " + path + " (allowed: "
                        + String.join(", ", match.allowedMethods()) + ")", false);
            } else {
                fail(ctx, 404, "NoSuchRoute", "no API route " + req.method() + " " + path, false);
            }
            return;
        }
        BodyKind kind = null;
        long limit = 0;
        if (hasBody(req)) {
            BodyPolicy policy = match.route().body();
            String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
            kind = policy.kindFor(contentType);
            if (kind == null) {
                fail(ctx, 415, "UnsupportedMediaType", policy.acceptsBody()
                        ? "Content-Type '" + contentType + "' is not accepted here (accepted: " + policy.accepted() + ")"
                        : "this route takes no request body", false);
                return;
            }
            mediaType = BodyPolicy.mediaType(contentType);
            limit = kind == BodyKind.MEMORY ? config.maxJsonBytes() : config.maxUploadBytes();
            if (HttpUtil.isContentLengthSet(req) && HttpUtil.getContentLength(req, -1L) > limit) {
                fail(ctx, 413, "PayloadTooLarge", "the body has " + HttpUtil.getContentLength(req, -1L)
                        + " bytes; the limit here is " + limit, false);
                return;
            }
        }
        startReceiving(ctx, req, kind, limit);
    }

    /** A browser's WebSocket opening handshake: the only request that may carry the token as a subprotocol. */
    static boolean isWebSocketUpgrade(HttpRequest req) {
        return req.method().equals(HttpMethod.GET)
                && req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && req.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    private void startReceiving(ChannelHandlerContext ctx, HttpRequest req, BodyKind kind, long limit) {
        try {
            body = RequestBody.open(ctx.alloc(), req, kind, limit, config);
        } catch (ApiException e) {
            fail(ctx, e.status(), e.code(), e.getMessage(), false);
            return;
        } catch (IOException e) {
            fail(ctx, 500, "InternalError", "cannot store the upload: " + e.getMessage(), false);
            return;
        }
        phase = Phase.RECEIVING;
        if (HttpUtil.is100ContinueExpected(req)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (phase == Phase.DISCARDING) {
            discarded += content.content().readableBytes();
            if (last) {
                phase = Phase.IDLE;
                if (closeAfterDiscard) {
                    ctx.close();
                }
            } else if (discarded > DISCARD_BUDGET) {
                ctx.close();
            }
            return;
        }
        if (phase != Phase.RECEIVING) {
            return;
        }
        try {
            if (!body.add(content)) {
                long limit = body.limit();
                resetBody();
                fail(ctx, 413, "PayloadTooLarge", "the body exceeds the limit of " + limit + " bytes here", true);
                return;
            }
        } catch (ApiException e) {
            resetBody();
            fail(ctx, e.status(), e.code(), e.getMessage(), true);
            return;
        } catch (IOException e) {
            resetBody();
            fail(ctx, 500, "InternalError", "cannot store the upload: " + e.getMessage(), true);
            return;
        }
        if (last) {
            dispatch(ctx);
        }
    }

    private void dispatch(ChannelHandlerContext ctx) {
        HttpRequest req = request;
        RequestBody received = body;
        body = null;
        if (match == null) {
            phase = Phase.IDLE;
            received.discard();
            ApiResponse r = staticFiles.serve(staticPath);
            write(ctx, req, r, null);
            return;
        }
        RequestBody.Taken taken;
        try {
            taken = received.take();
        } catch (ApiException e) {
            write(ctx, req, ErrorResponses.of(e), null);
            return;
        } catch (IOException e) {
            write(ctx, req, ErrorResponses.of(500, "InternalError", "cannot store the upload: " + e.getMessage()),
                    null);
            return;
        }
        Path bodyFile = taken.file();
        Form form = taken.form();
        ApiRequest apiRequest = new ApiRequest(req.method(), query.path(), match.pathParams(), query.parameters(),
                req.headers(), mediaType == null ? "" : mediaType, taken.bytes(), bodyFile, form);
        RouteHandler handler = match.route().handler();
        phase = Phase.PROCESSING;
        ctx.channel().config().setAutoRead(false);
        try {
            workers.execute(() -> {
                ApiResponse response;
                try {
                    response = handler.handle(apiRequest);
                } catch (Throwable t) {
                    RequestBody.deleteQuietly(bodyFile);
                    if (apiRequest.form() != null) {
                        apiRequest.form().deleteFiles();
                    }
                    response = ErrorResponses.of(t);
                }
                ApiResponse r = response;
                ctx.executor().execute(() -> write(ctx, req, r, apiRequest));
            });
        } catch (RejectedExecutionException e) {
            RequestBody.deleteQuietly(bodyFile);
            if (form != null) {
                form.deleteFiles();
            }
            write(ctx, req, ErrorResponses.of(e), apiRequest);
        }
    }

    private void write(ChannelHandlerContext ctx, HttpRequest req, ApiResponse r, ApiRequest apiRequest) {
        phase = Phase.IDLE;
        mediaType = null;
        if (r.stream() != null) {
            ctx.channel().config().setAutoRead(true);
            r.stream().accept(ctx, apiRequest);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        FullHttpResponse response = toHttp(req, r);
        HttpUtil.setKeepAlive(response, keepAlive);
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            if (!keepAlive || !f.isSuccess()) {
                f.channel().close();
            } else {
                f.channel().config().setAutoRead(true);
            }
        });
    }

    private static FullHttpResponse toHttp(HttpRequest req, ApiResponse r) {
        byte[] body = r.body() == null ? new byte[0] : r.body();
        boolean head = req != null && req.method().equals(HttpMethod.HEAD);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()), head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        if (r.contentType() != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        response.headers().set("X-Content-Type-Options", "nosniff");
        if (r.status() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"csemu\"");
        }
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            response.headers().set(h.getKey(), h.getValue());
        }
        return response;
    }

    /**
     * Answers a refusal at once. The rest of the body is drained (so the client reads the answer instead of a reset);
     * {@code close} forces the connection closed afterwards (the stream may be out of sync).
     */
    private void fail(ChannelHandlerContext ctx, int status, String code, String message, boolean close) {
        HttpRequest req = request;
        ApiResponse r = ErrorResponses.of(status, code, message);
        if (status == 405 && match != null && !match.allowedMethods().isEmpty()) {
            r = r.withHeader("Allow", String.join(", ", match.allowedMethods()));
        }
        boolean keepAlive = !close && req != null && HttpUtil.isKeepAlive(req);
        FullHttpResponse response = toHttp(req, r);
        HttpUtil.setKeepAlive(response, keepAlive);
        ctx.writeAndFlush(response);
        if (req == null || req.decoderResult().isFailure()) {
            ctx.close();
            phase = Phase.IDLE;
            return;
        }
        closeAfterDiscard = !keepAlive;
        discarded = 0;
        phase = Phase.DISCARDING;
    }

    private static boolean hasBody(HttpRequest req) {
        if (HttpUtil.isContentLengthSet(req)) {
            return HttpUtil.getContentLength(req, 0L) > 0;
        }
        return HttpUtil.isTransferEncodingChunked(req);
    }

    private void resetBody() {
        if (body != null) {
            body.discard();
            body = null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && phase != Phase.PROCESSING) {
            LOG.debug("closing idle connection {}", ctx.channel().remoteAddress());
            if (phase == Phase.RECEIVING) {
                resetBody();
            }
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (phase == Phase.RECEIVING) {
            resetBody();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("connection {} failed", ctx.channel().remoteAddress(), cause);
        }
        if (phase == Phase.RECEIVING) {
            resetBody();
        }
        ctx.close();
    }
}
