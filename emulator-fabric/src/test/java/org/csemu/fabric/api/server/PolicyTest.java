package org.csemu.fabric.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class PolicyTest {

    private static InetSocketAddress addr(int... octets) throws UnknownHostException {
        byte[] b = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            b[i] = (byte) octets[i];
        }
        return new InetSocketAddress(InetAddress.getByAddress(b), 40000);
    }

    @Test
    void onlyLoopbackPeersAreServed() throws Exception {
        assertThat(PeerPolicy.isAllowed(addr(127, 0, 0, 1), false)).isTrue();
        assertThat(PeerPolicy.isAllowed(addr(127, 255, 0, 9), false)).isTrue();
        assertThat(PeerPolicy.isAllowed(new InetSocketAddress(InetAddress.getByName("::1"), 1), false)).isTrue();
        // documentation ranges (RFC 5737, RFC 3849) stand for "some other machine"
        assertThat(PeerPolicy.isAllowed(addr(203, 0, 113, 5), false)).isFalse();
        assertThat(PeerPolicy.isAllowed(addr(198, 51, 100, 7), false)).isFalse();
        assertThat(PeerPolicy.isAllowed(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 1), false)).isFalse();
        assertThat(PeerPolicy.isAllowed(null, false)).isFalse();
        // a unix-socket peer is guarded by the socket file's mode
        assertThat(PeerPolicy.isAllowed(null, true)).isTrue();
    }

    @Test
    void hostMustNameThisServerOnLoopback() {
        HostOriginPolicy p = new HostOriginPolicy(7070);
        assertThat(p.isAllowedHost("127.0.0.1:7070")).isTrue();
        assertThat(p.isAllowedHost("localhost:7070")).isTrue();
        assertThat(p.isAllowedHost("LOCALHOST:7070")).isTrue();
        assertThat(p.isAllowedHost("[::1]:7070")).isTrue();
        assertThat(p.isAllowedHost("127.0.0.1:7071")).isFalse();
        assertThat(p.isAllowedHost("127.0.0.1")).isFalse();
        assertThat(p.isAllowedHost("attacker.example:7070")).isFalse();
        assertThat(p.isAllowedHost(null)).isFalse();
    }

    @Test
    void originMustBeAbsentOrTheSameOrigin() {
        HostOriginPolicy p = new HostOriginPolicy(7070);
        assertThat(p.isAllowedOrigin(null, "127.0.0.1:7070")).isTrue();
        assertThat(p.isAllowedOrigin("http://127.0.0.1:7070", "127.0.0.1:7070")).isTrue();
        assertThat(p.isAllowedOrigin("http://localhost:7070", "localhost:7070")).isTrue();
        assertThat(p.isAllowedOrigin("http://attacker.example", "127.0.0.1:7070")).isFalse();
        assertThat(p.isAllowedOrigin("http://localhost:7070", "127.0.0.1:7070")).isFalse();
        assertThat(p.isAllowedOrigin("https://127.0.0.1:7070", "127.0.0.1:7070")).isFalse();
        assertThat(p.isAllowedOrigin("null", "127.0.0.1:7070")).isFalse();
    }

    @Test
    void bearerTokenMustMatchExactly() {
        BearerToken t = new BearerToken("s3cret-token-value");
        assertThat(t.matches("Bearer s3cret-token-value")).isTrue();
        assertThat(t.matches("bearer s3cret-token-value")).isTrue();
        assertThat(t.matches("Bearer s3cret-token-valu")).isFalse();
        assertThat(t.matches("Bearer s3cret-token-value2")).isFalse();
        assertThat(t.matches("Basic s3cret-token-value")).isFalse();
        assertThat(t.matches("Bearer")).isFalse();
        assertThat(t.matches(null)).isFalse();
    }

    @Test
    void routerPrefersLiteralSegmentsAndReportsAllowedMethods() {
        Router r = new Router();
        r.get("/api/v1/events/{id}", req -> null);
        r.get("/api/v1/events/stream", req -> null);
        r.add(io.netty.handler.codec.http.HttpMethod.DELETE, "/api/v1/images/{image}", BodyPolicy.NONE, req -> null);
        assertThat(r.match(io.netty.handler.codec.http.HttpMethod.GET, "/api/v1/events/stream").route().template())
                .isEqualTo("/api/v1/events/stream");
        assertThat(r.match(io.netty.handler.codec.http.HttpMethod.GET, "/api/v1/events/42").pathParams())
                .containsEntry("id", "42");
        assertThat(r.match(io.netty.handler.codec.http.HttpMethod.GET, "/api/v1/images/x").allowedMethods())
                .containsExactly("DELETE");
        assertThat(r.match(io.netty.handler.codec.http.HttpMethod.DELETE, "/api/v1/images/a%2Fb").pathParams())
                .containsEntry("image", "a/b");
        assertThat(r.match(io.netty.handler.codec.http.HttpMethod.GET, "/api/v1/nothing").pathExists()).isFalse();
    }
}
