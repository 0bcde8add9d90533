package org.csemu.fabric.api.server;

import java.nio.file.Path;
import java.util.Objects;

/** Where the management API listens: a loopback TCP port or a unix socket. Nothing else is possible. */
public sealed interface ApiBinding {

    /** {@code 127.0.0.1:port}; port 0 picks a free one. */
    record Loopback(int port) implements ApiBinding {
        public Loopback {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not in 0..65535");
            }
        }
    }

    /** A unix domain socket file, created with mode 0600. */
    record UnixSocket(Path path) implements ApiBinding {
        public UnixSocket {
            Objects.requireNonNull(path, "path");
        }
    }
}
