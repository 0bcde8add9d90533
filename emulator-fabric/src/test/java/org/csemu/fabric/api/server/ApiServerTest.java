package org.csemu.fabric.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.csemu.fabric.api.testing.ApiFixture;
import org.csemu.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API's front door: token, peer, Host/Origin, body limits, malformed input, error shape, static files. */
class ApiServerTest {

    private static final long JSON_LIMIT = 64 * 1024;
    private static final long UPLOAD_LIMIT = 2 * 1024 * 1024;

    @TempDir
    Path tmp;
    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture(tmp, JSON_LIMIT, UPLOAD_LIMIT, 15_000);
        api.fabric.addDeployment("d1", 2);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static JsonNode json(String body) throws Exception {
        return Json.MAPPER.readTree(body);
    }

    private void assertStillServing() throws Exception {
        HttpResponse<String> r = api.get("/api/v1/deployments/d1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r.body()).get("id").asText()).isEqualTo("d1");
    }

    private static void assertJsonError(RawHttp.Response r, int status, String code) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().get("content-type")).startsWith("application/json");
        JsonNode e = json(r.body());
        assertThat(e.get("code").asText()).isEqualTo(code);
        assertThat(e.get("message").asText()).isNotBlank();
    }

    @Test
    void requestsWithoutTheRightTokenAreRefusedWith401() throws Exception {
        HttpResponse<String> none = api.http.send(HttpRequest.newBuilder(api.uri("/api/v1/deployments")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"csemu\"");
        assertThat(json(none.body()).get("code").asText()).isEqualTo("Unauthorized");

        HttpResponse<String> wrong = api.http.send(HttpRequest.newBuilder(api.uri("/api/v1/deployments"))
                .header("Authorization", "Bearer " + ApiFixture.TOKEN + "x").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);

        // a refused POST with a body is refused before the body reaches the fabric
        HttpResponse<String> post = api.http.send(HttpRequest.newBuilder(api.uri("/api/v1/deployments/d1/roles/WebRole/scale"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"count\":3}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(401);
        assertThat(api.fabric.mutations()).isZero();

        assertThat(api.get("/api/v1/deployments").statusCode()).isEqualTo(200);
    }

    @Test
    void dnsRebindingHostOrForeignOriginIsRefusedWith403() throws Exception {
        assertJsonError(RawHttp.send(api.port(), api.head("GET", "/api/v1/deployments",
                "Host: attacker.example:" + api.port() + "\r\n"), null), 403, "ForbiddenHost");
        assertJsonError(RawHttp.send(api.port(), api.head("GET", "/api/v1/deployments",
                "Host: 127.0.0.1:1\r\n"), null), 403, "ForbiddenHost");
        assertJsonError(RawHttp.send(api.port(), api.head("GET", "/", "Host: attacker.example\r\n"), null), 403,
                "ForbiddenHost");
        assertJsonError(RawHttp.send(api.port(), api.head("GET", "/api/v1/deployments",
                "Origin: http://attacker.example\r\n"), null), 403, "ForbiddenOrigin");
        // a missing Host is refused too (HTTP/1.1 requires one)
        assertJsonError(RawHttp.send(api.port(), "GET /api/v1/deployments HTTP/1.1\r\nConnection: close\r\n"
                + "Authorization: Bearer " + ApiFixture.TOKEN + "\r\n\r\n", null), 403, "ForbiddenHost");

        assertThat(RawHttp.send(api.port(), api.head("GET", "/api/v1/deployments",
                "Host: localhost:" + api.port() + "\r\nOrigin: http://localhost:" + api.port() + "\r\n"), null).status())
                .isEqualTo(200);
        HttpResponse<String> sameOrigin = api.http.send(api.request("/api/v1/deployments")
                .header("Origin", "http://127.0.0.1:" + api.port()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sameOrigin.statusCode()).isEqualTo(200);
    }

    @Test
    void aNonLoopbackPeerIsRefusedWith403() {
        ExecutorService workers = Executors.newSingleThreadExecutor();
        try {
            ApiServerConfig config = ApiServerConfig.defaults(new ApiBinding.Loopback(7070), ApiFixture.TOKEN,
                    tmp, () -> Map.of());
            Router router = new Router().get("/api/v1/daemon", r -> ApiResponse.ok(Map.of("ok", true)));
            EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(),
                    new ApiChannelHandler(config, router, new HostOriginPolicy(7070), false, workers,
                            new StaticFiles("/dashboard"))) {
                @Override
                protected SocketAddress remoteAddress0() {
                    try {
                        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 5}), 50000);
                    } catch (java.net.UnknownHostException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            ch.writeInbound(Unpooled.copiedBuffer("GET /api/v1/daemon HTTP/1.1\r\nHost: 127.0.0.1:7070\r\n"
                    + "Authorization: Bearer " + ApiFixture.TOKEN + "\r\n\r\n", StandardCharsets.US_ASCII));
            StringBuilder out = new StringBuilder();
            for (Object o; (o = ch.readOutbound()) != null; ) {
                ByteBuf b = (ByteBuf) o;
                out.append(b.toString(StandardCharsets.UTF_8));
                b.release();
            }
            assertThat(out.toString()).startsWith("HTTP/1.1 403").contains("ForbiddenPeer");
            assertThat(ch.isOpen()).isFalse();
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void malformedJsonGets400AndTheServerStaysUp() throws Exception {
        HttpResponse<String> r = api.postJson("/api/v1/deployments/d1/roles/WebRole/scale", "{\"count\": ");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r.body()).get("code").asText()).isEqualTo("BadRequest");
        assertThat(json(r.body()).get("message").asText()).contains("malformed JSON");

        HttpResponse<String> unknown = api.postJson("/api/v1/deployments/d1/roles/WebRole/scale", "{\"cuont\": 3}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown.body()).get("message").asText()).contains("cuont");

        HttpResponse<String> wrongType = api.postJson("/api/v1/deployments/d1/roles/WebRole/scale", "{\"count\": \"x\"}");
        assertThat(wrongType.statusCode()).isEqualTo(400);

        assertJsonError(RawHttp.send(api.port(), "\u0000\u0001garbage\r\n\r\n", null), 400, "BadRequest");
        assertStillServing();
    }

    @Test
    void aHugeBodyGets413AndTheServerStaysUp() throws Exception {
        byte[] big = new byte[(int) JSON_LIMIT + 1];
        Arrays.fill(big, (byte) ' ');
        // declared length over the limit: refused before the body is read
        assertJsonError(RawHttp.send(api.port(), api.head("POST", "/api/v1/deployments/d1/roles/WebRole/scale",
                "Content-Type: application/json\r\nContent-Length: " + big.length + "\r\n"), big), 413, "PayloadTooLarge");
        // chunked, no length: refused when the limit is crossed
        StringBuilder chunked = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            chunked.append(Integer.toHexString(big.length / 2)).append("\r\n").append(" ".repeat(big.length / 2)).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        assertJsonError(RawHttp.send(api.port(), api.head("POST", "/api/v1/deployments/d1/roles/WebRole/scale",
                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"),
                chunked.toString().getBytes(StandardCharsets.US_ASCII)), 413, "PayloadTooLarge");
        // an upload over its (larger) limit, and the partial file is gone
        byte[] pkg = new byte[(int) UPLOAD_LIMIT + 10];
        assertJsonError(RawHttp.send(api.port(), api.head("POST", "/api/v1/deployments?configuration=/tmp/x.cscfg",
                "Content-Type: application/zip\r\nTransfer-Encoding: chunked\r\n"), chunk(pkg)), 413, "PayloadTooLarge");
        assertThat(api.uploads).isEmptyDirectory();
        assertThat(api.fabric.mutations()).isZero();
        assertStillServing();
    }

    private static byte[] chunk(byte[] data) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int step = 64 * 1024;
        for (int off = 0; off < data.length; off += step) {
            int n = Math.min(step, data.length - off);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        String host = "Host: 127.0.0.1:" + api.port() + "\r\nAuthorization: Bearer " + ApiFixture.TOKEN + "\r\n";
        String two = "GET /api/v1/deployments/d1 HTTP/1.1\r\n" + host + "\r\n"
                + "POST /api/v1/deployments/d1/roles/WebRole/scale HTTP/1.1\r\n" + host
                + "Content-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"count\":2}"
                + "GET /api/v1/operations/op-1 HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n";
        try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), api.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(two.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int first = all.indexOf("HTTP/1.1 200");
            int second = all.indexOf("HTTP/1.1 202");
            int third = all.indexOf("HTTP/1.1 200", second);
            assertThat(first).as(all).isGreaterThanOrEqualTo(0);
            assertThat(second).as(all).isGreaterThan(first);
            assertThat(third).as(all).isGreaterThan(second);
            assertThat(all.substring(third)).contains("\"status\":\"Succeeded\"");
        }
        assertThat(api.fabric.mutations()).isEqualTo(1);
    }

    @Test
    void wrongMediaTypeRouteOrMethodGetJsonErrors() throws Exception {
        HttpResponse<String> media = api.http.send(api.request("/api/v1/deployments/d1/roles/WebRole/scale")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("3")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(media.statusCode()).isEqualTo(415);
        assertThat(json(media.body()).get("message").asText()).contains("application/json");

        assertThat(api.get("/api/v1/nope").statusCode()).isEqualTo(404);
        HttpResponse<String> method = api.http.send(api.request("/api/v1/operations/x")
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(method.headers().firstValue("Allow")).hasValue("GET");
        assertStillServing();
    }

    @Test
    void fabricRefusalsMapToRestStatuses() throws Exception {
        HttpResponse<String> notFound = api.get("/api/v1/deployments/missing");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(json(notFound.body()).get("code").asText()).isEqualTo("DeploymentNotFound");

        assertThat(api.postJson("/api/v1/deployments/d1/suspend", "").statusCode()).isEqualTo(202);
        HttpResponse<String> conflict = api.postJson("/api/v1/deployments/d1/suspend", "");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(json(conflict.body()).get("code").asText()).isEqualTo("IllegalStateTransition");

        HttpResponse<String> invalid = api.postJson("/api/v1/deployments",
                "{\"package\":\"/srv/app.cspkg\",\"configuration\":\"/srv/invalid.cscfg\"}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        JsonNode d = json(invalid.body()).get("diagnostics").get(0);
        assertThat(d.get("code").asText()).isEqualTo("CSCFG001");
        assertThat(d.get("line").asInt()).isEqualTo(3);
        assertThat(d.get("severity").asText()).isEqualTo("error");

        HttpResponse<String> relative = api.postJson("/api/v1/deployments",
                "{\"package\":\"app.cspkg\",\"configuration\":\"/srv/a.cscfg\"}");
        assertThat(relative.statusCode()).isEqualTo(400);
        assertThat(json(relative.body()).get("message").asText()).contains("absolute");
    }

    @Test
    void longOperationsAnswer202WithTheOperationAndItsLocation() throws Exception {
        HttpResponse<String> r = api.postJson("/api/v1/deployments/d1/instances/WebRole_IN_1/reboot", "");
        assertThat(r.statusCode()).isEqualTo(202);
        String id = json(r.body()).get("id").asText();
        assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/operations/" + id);
        assertThat(r.headers().firstValue("x-ms-request-id")).hasValue(id);
        HttpResponse<String> op = api.get("/api/v1/operations/" + id);
        assertThat(op.statusCode()).isEqualTo(200);
        assertThat(json(op.body()).get("status").asText()).isEqualTo("Succeeded");
        assertThat(json(op.body()).get("kind").asText()).isEqualTo("REBOOT");

        HttpResponse<String> fault = api.postJson("/api/v1/deployments/d1/instances/WebRole_IN_0/faults",
                "{\"kind\":\"host-failure\"}");
        assertThat(fault.statusCode()).isEqualTo(202);
        HttpResponse<String> badFault = api.postJson("/api/v1/deployments/d1/instances/WebRole_IN_0/faults",
                "{\"kind\":\"meteor\"}");
        assertThat(badFault.statusCode()).isEqualTo(400);
        assertThat(json(badFault.body()).get("message").asText()).contains("host-failure");

        HttpResponse<String> console = api.get("/api/v1/deployments/d1/instances/WebRole_IN_0/console?tail=1");
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).isEqualTo("agent: ready\n");
    }

    @Test
    void aDeploymentGoesToTheSlotItNamesAndASwapTakesTheDeploymentInItsBody() throws Exception {
        HttpResponse<String> staged = api.postJson("/api/v1/deployments", "{\"name\":\"green\","
                + "\"package\":\"/srv/app.cspkg\",\"configuration\":\"/srv/a.cscfg\",\"slot\":\"staging\"}");
        assertThat(staged.statusCode()).isEqualTo(202);
        assertThat(json(api.get("/api/v1/deployments/green").body()).get("slot").asText()).isEqualTo("Staging");
        HttpResponse<String> badSlot = api.postJson("/api/v1/deployments", "{\"name\":\"x\","
                + "\"package\":\"/srv/app.cspkg\",\"configuration\":\"/srv/a.cscfg\",\"slot\":\"canary\"}");
        assertThat(badSlot.statusCode()).isEqualTo(400);
        assertThat(json(badSlot.body()).get("message").asText()).contains("production or staging");

        HttpResponse<String> swap = api.postJson("/api/v1/deployments/swap", "{\"deployment\":\"green\"}");
        assertThat(swap.statusCode()).isEqualTo(202);
        assertThat(json(swap.body()).get("kind").asText()).isEqualTo("SwapDeployment");
        assertThat(json(api.get("/api/v1/deployments/green").body()).get("slot").asText()).isEqualTo("Production");
        assertThat(json(api.get("/api/v1/deployments/d1").body()).get("slot").asText()).isEqualTo("Staging");

        HttpResponse<String> mismatch = api.postJson("/api/v1/deployments/swap",
                "{\"production\":\"d1\",\"sourceDeployment\":\"green\"}");
        assertThat(mismatch.statusCode()).as("the classic form: names not in those slots").isEqualTo(409);
        assertThat(json(mismatch.body()).get("code").asText()).isEqualTo("SlotMismatch");
        HttpResponse<String> classic = api.postJson("/api/v1/deployments/swap",
                "{\"production\":\"green\",\"sourceDeployment\":\"d1\"}");
        assertThat(classic.statusCode()).isEqualTo(202);
        assertThat(json(api.get("/api/v1/deployments/d1").body()).get("slot").asText()).isEqualTo("Production");

        assertThat(api.postJson("/api/v1/deployments/swap", "{}").statusCode()).isEqualTo(400);
        assertThat(api.postJson("/api/v1/deployments/swap", "{\"deployment\":\"missing\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void execStreamsTheOutputAndEndsWithTheExitCode() throws Exception {
        HttpResponse<String> r = api.postJson("/api/v1/deployments/d1/instances/WebRole_IN_0/exec",
                "{\"command\":\"exit 3\",\"elevated\":true}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/x-ndjson"));
        assertThat(r.headers().firstValue("connection")).as("the stream ends with the connection: never reused")
                .hasValue("close");
        assertThat(r.body().lines().filter(l -> !l.isEmpty()).toList())
                .containsExactly("{\"output\":\"# exit 3\"}", "{\"exitCode\":3}");
        HttpResponse<String> missing = api.postJson("/api/v1/deployments/d1/instances/WebRole_IN_0/exec", "{}");
        assertThat(missing.statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = api.postJson("/api/v1/deployments/d1/instances/Nope_IN_9/exec",
                "{\"command\":\"true\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertStillServing();
    }

    @Test
    void execTakesItsStdinAsBase64BoundedAndRefusesWhatIsNot() throws Exception {
        String exec = "/api/v1/deployments/d1/instances/WebRole_IN_0/exec";
        String stdin64 = java.util.Base64.getEncoder().encodeToString("typed\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = api.postJson(exec, "{\"command\":\"cat\",\"stdin64\":\"" + stdin64 + "\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().lines().filter(l -> !l.isEmpty()).toList())
                .containsExactly("{\"output\":\"$ cat\"}", "{\"output\":\"stdin: typed\\n\"}", "{\"exitCode\":0}");
        HttpResponse<String> notBase64 = api.postJson(exec, "{\"command\":\"cat\",\"stdin64\":\"%%%\"}");
        assertThat(notBase64.statusCode()).isEqualTo(400);
        assertThat(notBase64.body()).contains("'stdin64' is not base64");
        assertStillServing();
        // past the stdin bound but within the daemon's JSON limit (this class's fixture has a small one)
        Files.createDirectories(tmp.resolve("default-limits"));
        try (ApiFixture defaults = new ApiFixture(tmp.resolve("default-limits"))) {
            defaults.fabric.addDeployment("d1", 1);
            String tooMuch = java.util.Base64.getEncoder().encodeToString(
                    new byte[org.csemu.fabric.api.FabricService.MAX_EXEC_STDIN_BYTES + 1]);
            HttpResponse<String> big = defaults.postJson(exec, "{\"command\":\"cat\",\"stdin64\":\"" + tooMuch
                    + "\"}");
            assertThat(big.statusCode()).as(big.body()).isEqualTo(400);
            assertThat(big.body()).contains("65537 bytes").contains("at most 65536");
        }
    }

    @Test
    void aPackageUploadIsStreamedToAFileAndHandedToTheFabric() throws Exception {
        byte[] pkg = new byte[1_500_000];
        new java.util.Random(7).nextBytes(pkg);
        HttpResponse<String> r = api.http.send(api.request("/api/v1/deployments?name=up&configuration=/srv/a.cscfg")
                .header("Content-Type", "application/zip").expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(pkg)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(api.fabric.created()).hasSize(1);
        var req = api.fabric.created().get(0);
        assertThat(req.name()).isEqualTo("up");
        assertThat(req.service().temporary()).isTrue();
        assertThat(api.fabric.consumedSizes()).containsEntry(req.service().path(), (long) pkg.length);
        assertThat(req.configuration().path()).isEqualTo(Path.of("/srv/a.cscfg"));
        assertThat(Files.exists(req.service().path())).isFalse();
    }

    private static byte[] multipart(String boundary, Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i += 2) {
            String name = (String) parts[i];
            out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII));
            if (parts[i + 1] instanceof byte[] file) {
                out.writeBytes(("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name
                        + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(file);
            } else {
                out.writeBytes(("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + parts[i + 1])
                        .getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void aMultipartUploadHandsBothFilesToTheFabric() throws Exception {
        byte[] pkg = new byte[700_000];
        new java.util.Random(3).nextBytes(pkg);
        byte[] cfg = "<ServiceConfiguration serviceName=\"s\"/>".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = api.http.send(api.request("/api/v1/deployments")
                .header("Content-Type", "multipart/form-data; boundary=XyZ")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart("XyZ", "name", "form", "start", "false",
                        "package", pkg, "configuration", cfg))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        var req = api.fabric.created().get(0);
        assertThat(req.name()).isEqualTo("form");
        assertThat(req.start()).isFalse();
        assertThat(req.service().originalName()).isEqualTo("package.bin");
        assertThat(api.fabric.consumedSizes()).containsEntry(req.service().path(), (long) pkg.length)
                .containsEntry(req.configuration().path(), (long) cfg.length);

        HttpResponse<String> missing = api.http.send(api.request("/api/v1/deployments")
                .header("Content-Type", "multipart/form-data; boundary=XyZ")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart("XyZ", "configuration", cfg))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing.body()).get("message").asText()).contains("'package'");

        HttpResponse<String> garbage = api.http.send(api.request("/api/v1/deployments")
                .header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("no boundary here")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(json(garbage.body()).get("code").asText()).isEqualTo("BadRequest");

        try (var files = Files.list(api.uploads)) {
            assertThat(files).isEmpty();
        }
        assertStillServing();
    }

    @Test
    void theDashboardIndexIsServedAtTheRoot() throws Exception {
        HttpResponse<String> r = api.http.send(HttpRequest.newBuilder(api.uri("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.body()).contains("csemu");
        assertThat(api.http.send(HttpRequest.newBuilder(api.uri("/../etc/passwd")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }
}
