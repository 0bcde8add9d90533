package org.csemu.fabric.api.server;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Which content types a route accepts, and how each is received. */
public final class BodyPolicy {

    public static final BodyPolicy NONE = new BodyPolicy(Map.of());
    public static final BodyPolicy JSON = new BodyPolicy(Map.of("application/json", BodyKind.MEMORY));

    private final Map<String, BodyKind> byMediaType;

    private BodyPolicy(Map<String, BodyKind> byMediaType) {
        this.byMediaType = Map.copyOf(byMediaType);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean acceptsBody() {
        return !byMediaType.isEmpty();
    }

    /** The kind for a {@code Content-Type} header value, or {@code null} when the route does not accept it. */
    public BodyKind kindFor(String contentType) {
        return byMediaType.get(mediaType(contentType));
    }

    public String accepted() {
        return String.join(", ", byMediaType.keySet());
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** Collects media types in order. */
    public static final class Builder {
        private final Map<String, BodyKind> map = new LinkedHashMap<>();

        public Builder accept(String mediaType, BodyKind kind) {
            map.put(mediaType.toLowerCase(Locale.ROOT), kind);
            return this;
        }

        public BodyPolicy build() {
            return new BodyPolicy(map);
        }
    }
}
