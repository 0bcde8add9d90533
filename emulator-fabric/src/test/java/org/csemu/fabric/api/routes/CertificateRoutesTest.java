package org.csemu.fabric.api.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.csemu.fabric.api.testing.ApiFixture;
import org.csemu.fabric.certificates.TestCertificates;
import org.csemu.core.util.FileTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/services/{service}/certificates} over HTTP, on the real store: 201 with the certificate (never the
 * key), the list, 204 on removal, and the API's error shape for a wrong password (422), a malformed request (400),
 * an unknown thumbprint (404) and a certificate in use (409).
 */
class CertificateRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        if (api.fabric.certificateDirectory() != null) {
            FileTrees.delete(api.fabric.certificateDirectory());
        }
    }

    @Test
    void addListAndRemoveWithTheApisErrors() throws Exception {
        String base = "/api/v1/services/CertProbe/certificates";
        String pfx = Base64.getEncoder().encodeToString(TestCertificates.fixture("rsa.pfx"));

        HttpResponse<String> wrong = api.postJson(base, "{\"data\":\"" + pfx + "\",\"fileName\":\"site.pfx\","
                + "\"password\":\"nope\"}");
        assertThat(wrong.statusCode()).isEqualTo(422);
        assertThat(json(wrong).get("code").asText()).isEqualTo("CertificateRejected");
        assertThat(json(wrong).get("message").asText()).startsWith("site.pfx: wrong password");

        HttpResponse<String> added = api.postJson(base, "{\"data\":\"" + pfx + "\",\"fileName\":\"site.pfx\","
                + "\"password\":\"s3cret\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(json(added).get("thumbprint").asText()).isEqualTo(TestCertificates.RSA_THUMBPRINT);
        assertThat(json(added).get("hasPrivateKey").asBoolean()).isTrue();
        assertThat(json(added).get("subject").asText()).isEqualTo("CN=fixed.csemu.test");
        assertThat(added.body()).doesNotContain("PRIVATE");

        Path onHost = Files.write(tmp.resolve("ec.pem"), TestCertificates.fixture("ec-with-key.pem"));
        assertThat(api.postJson(base, "{\"file\":\"" + onHost + "\"}").statusCode()).isEqualTo(201);
        assertThat(api.postJson(base, "{\"file\":\"relative.pem\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> both = api.postJson(base, "{\"data\":\"" + pfx + "\",\"selfSigned\":\"x.test\"}");
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(json(both).get("message").asText()).contains("exactly one of 'data'");

        JsonNode list = json(api.get(base));
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("thumbprintAlgorithm").asText()).isEqualTo("sha1");

        api.fabric.useCertificate("CertProbe", TestCertificates.EC_THUMBPRINT, "cert-probe");
        HttpResponse<String> inUse = delete(base + "/" + TestCertificates.EC_THUMBPRINT.toLowerCase());
        assertThat(inUse.statusCode()).isEqualTo(409);
        assertThat(json(inUse).get("code").asText()).isEqualTo("CertificateInUse");
        assertThat(json(inUse).get("message").asText()).contains("[cert-probe]");

        assertThat(delete(base + "/" + TestCertificates.RSA_THUMBPRINT.toLowerCase()).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = delete(base + "/" + TestCertificates.RSA_THUMBPRINT);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json(gone).get("code").asText()).isEqualTo("CertificateNotFound");
        assertThat(delete(base + "/not-hex").statusCode()).isEqualTo(400);
        assertThat(json(api.get(base))).hasSize(1);
        assertThat(json(api.get("/api/v1/services/Other/certificates"))).isEmpty();
    }

    private HttpResponse<String> delete(String path) throws Exception {
        return api.http.send(api.request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }
}
