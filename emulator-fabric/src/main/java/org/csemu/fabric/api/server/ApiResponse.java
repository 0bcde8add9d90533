package org.csemu.fabric.api.server;

import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What a route answers: a status with a body, or (for event streams) a takeover of the connection.
 *
 * @param status HTTP status
 * @param contentType media type of {@code body}, or {@code null} for no body
 * @param body the bytes
 * @param headers extra headers ({@code Location}, ...)
 * @param stream when not {@code null}, called on the channel's event loop to take the connection over
 */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers,
        BiConsumer<ChannelHandlerContext, ApiRequest> stream) {

    public static final String JSON = "application/json; charset=utf-8";

    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, JSON, Json.write(value), Map.of(), null);
    }

    public static ApiResponse ok(Object value) {
        return json(200, value);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, new byte[0], Map.of(), null);
    }

    public static ApiResponse text(int status, String text) {
        return new ApiResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of(),
                null);
    }

    public static ApiResponse bytes(int status, String contentType, byte[] body) {
        return new ApiResponse(status, contentType, body, Map.of(), null);
    }

    public static ApiResponse stream(BiConsumer<ChannelHandlerContext, ApiRequest> takeover) {
        return new ApiResponse(200, null, null, Map.of(), takeover);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, contentType, body, Map.copyOf(h), stream);
    }
}
