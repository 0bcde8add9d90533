package org.csemu.fabric.api.server;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps method + path template ({@code /api/v1/deployments/{id}}) to a handler. Literal segments win over
 * parameters, so {@code /events/stream} is not taken for {@code /events/{id}}.
 */
public final class Router {

    /** A registered route. */
    public record Route(HttpMethod method, String template, List<String> segments, BodyPolicy body,
            RouteHandler handler) {
    }

    /** A lookup result: the route and its path parameters; or {@code route == null} with the allowed methods. */
    public record Match(Route route, Map<String, String> pathParams, Set<String> allowedMethods) {
        public boolean found() {
            return route != null;
        }

        public boolean pathExists() {
            return route != null || !allowedMethods.isEmpty();
        }
    }

    private final List<Route> routes = new ArrayList<>();

    public Router add(HttpMethod method, String template, BodyPolicy body, RouteHandler handler) {
        routes.add(new Route(method, template, split(template), body, handler));
        return this;
    }

    public Router get(String template, RouteHandler handler) {
        return add(HttpMethod.GET, template, BodyPolicy.NONE, handler);
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public Match match(HttpMethod method, String path) {
        List<String> segs = split(path);
        Route best = null;
        Map<String, String> bestParams = null;
        int bestLiterals = -1;
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Map<String, String> params = bind(r.segments(), segs);
            if (params == null) {
                continue;
            }
            int literals = literalCount(r.segments());
            if (!r.method().equals(method)) {
                allowed.add(r.method().name());
                continue;
            }
            if (literals > bestLiterals) {
                best = r;
                bestParams = params;
                bestLiterals = literals;
            }
        }
        if (best != null) {
            return new Match(best, bestParams, Set.of());
        }
        return new Match(null, Map.of(), allowed);
    }

    private static int literalCount(List<String> segments) {
        int n = 0;
        for (String s : segments) {
            if (!s.startsWith("{")) {
                n++;
            }
        }
        return n;
    }

    private static Map<String, String> bind(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            String p = path.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                if (p.isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), QueryStringDecoder.decodeComponent(p));
            } else if (!t.equals(p)) {
                return null;
            }
        }
        return params;
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/", -1)) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
