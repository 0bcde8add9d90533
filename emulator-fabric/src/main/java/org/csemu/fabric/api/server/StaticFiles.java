package org.csemu.fabric.api.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Serves the dashboard from the classpath folder {@code /dashboard/}: {@code /} is {@code index.html}. Names are
 * restricted to plain segments, so no request can leave that folder. {@code /vendor/<webjar>/…} serves the files of
 * a webjar the dashboard uses (xterm.js), at the version on the classpath, so the version is written once (the pom).
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

    /** The webjars the dashboard may load (group {@code org.webjars.npm}). */
    private static final Set<String> WEBJARS = Set.of("xterm");

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
        String resource = p.startsWith("/vendor/") ? webjarResource(p.substring("/vendor/".length())) : root + p;
        if (resource == null) {
            return ErrorResponses.of(404, "NotFound", "no such file: " + path);
        }
        try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                return ErrorResponses.of(404, "NotFound", "no such file: " + path);
            }
            String ext = p.substring(p.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            return ApiResponse.bytes(200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
        } catch (IOException e) {
            return ErrorResponses.of(e);
        }
    }

    /** {@code xterm/lib/xterm.js} → the classpath resource in the webjar, or null when it is not one we serve. */
    private static String webjarResource(String rest) {
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        if (slash < 0 || !WEBJARS.contains(name)) {
            return null;
        }
        String version = webjarVersion(name);
        return version == null ? null : "/META-INF/resources/webjars/" + name + "/" + version + rest.substring(slash);
    }

    private static String webjarVersion(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(
                "/META-INF/maven/org.webjars.npm/" + name + "/pom.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            String version = p.getProperty("version");
            return version == null ? null : version.trim();
        } catch (IOException e) {
            return null;
        }
    }
}
