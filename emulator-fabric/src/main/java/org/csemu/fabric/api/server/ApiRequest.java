package org.csemu.fabric.api.server;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A fully received request, handed to a route handler on a worker thread.
 *
 * @param method HTTP method
 * @param path decoded path, without the query
 * @param pathParams values of the {@code {name}} segments of the route
 * @param query decoded query parameters
 * @param headers request headers
 * @param mediaType the body's media type (lower case, no parameters), or empty
 * @param body the body when received in memory, else empty
 * @param bodyFile the body when streamed to a file (the handler or the fabric owns it), else {@code null}
 * @param form the body when it was {@code multipart/form-data} (its files owned like {@code bodyFile}), else {@code null}
 */
public record ApiRequest(HttpMethod method, String path, Map<String, String> pathParams,
        Map<String, List<String>> query, HttpHeaders headers, String mediaType, byte[] body, Path bodyFile, Form form) {

    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return v;
    }

    /** The last value of a query parameter, or {@code null}. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** An integer query parameter; 400 when it is not one. */
    public long queryLong(String name, long defaultValue) {
        String v = queryParam(name);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be an integer, not '" + v + "'");
        }
    }

    public <T> T json(Class<T> type) {
        return Json.read(body, type);
    }
}
