package org.csemu.fabric.api.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the dashboard from the classpath folder {@code /dashboard/}: {@code /} is {@code index.html}. Names are
 * restricted to plain segments, so no request can leave that folder.
 */
public final class StaticFiles {

    private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_][A-Za-z0-9_.-]*)+");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "txt", "text/plain; charset=utf-8");

    private final String root;

    public StaticFiles(String classpathRoot) {
        this.root = classpathRoot.endsWith("/") ? classpathRoot.substring(0, classpathRoot.length() - 1) : classpathRoot;
    }

    /** The file for a URL path, or a 404 JSON error. */
    public ApiResponse serve(String path) {
        String p = path.equals("/") || path.isEmpty() ? "/index.html" : path;
        if (!SAFE_PATH.matcher(p).matches() || p.contains("..")) {
            return ErrorResponses.of(404, "NotFound", "no such file: " + path);
        }
        try (InputStream in = StaticFiles.class.getResourceAsStream(root + p)) {
            if (in == null) {
                return ErrorResponses.of(404, "NotFound", "no such file: " + path);
            }
            String ext = p.substring(p.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            return ApiResponse.bytes(200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
        } catch (IOException e) {
            return ErrorResponses.of(e);
        }
    }
}
