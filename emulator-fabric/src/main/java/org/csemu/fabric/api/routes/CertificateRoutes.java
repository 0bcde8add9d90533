package org.csemu.fabric.api.routes;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Base64;
import org.csemu.fabric.api.AddCertificateRequest;
import org.csemu.fabric.api.FabricService;
import org.csemu.fabric.api.UploadedFile;
import org.csemu.fabric.api.server.ApiException;
import org.csemu.fabric.api.server.ApiRequest;
import org.csemu.fabric.api.server.ApiResponse;
import org.csemu.fabric.api.server.BodyPolicy;
import org.csemu.fabric.api.server.Router;

/**
 * {@code /api/v1/services/{service}/certificates}: a hosted service's certificate store (the cloud's service
 * certificates). Adding is synchronous and quick (a file of a few KiB is read and checked, or keytool makes one):
 * {@code 201} with the certificate, not an operation.
 */
final class CertificateRoutes {

    /** The JSON form of an addition: exactly one of {@code data}, {@code file}, {@code selfSigned}. */
    record AddBody(@JsonProperty("data") String data, @JsonProperty("file") String file,
            @JsonProperty("fileName") String fileName, @JsonProperty("password") String password,
            @JsonProperty("selfSigned") String selfSigned) {
        @Override
        public String toString() {
            return "AddBody[" + fileName + "]";
        }
    }

    private final FabricService fabric;

    CertificateRoutes(FabricService fabric) {
        this.fabric = fabric;
    }

    void register(Router router) {
        router.get("/api/v1/services/{service}/certificates",
                r -> ApiResponse.ok(fabric.listCertificates(r.pathParam("service"))));
        router.add(HttpMethod.POST, "/api/v1/services/{service}/certificates", BodyPolicy.JSON, this::add);
        router.add(HttpMethod.DELETE, "/api/v1/services/{service}/certificates/{thumbprint}", BodyPolicy.NONE, r -> {
            fabric.deleteCertificate(r.pathParam("service"), r.pathParam("thumbprint"));
            return ApiResponse.noContent();
        });
    }

    private ApiResponse add(ApiRequest r) {
        AddBody b = r.json(AddBody.class);
        int given = (b.data() != null ? 1 : 0) + (b.file() != null ? 1 : 0) + (b.selfSigned() != null ? 1 : 0);
        if (given != 1) {
            throw ApiException.badRequest("give exactly one of 'data' (the file's content, base64), 'file' (an"
                    + " absolute path on the daemon's host) and 'selfSigned' (a subject name)");
        }
        byte[] content = null;
        if (b.data() != null) {
            try {
                content = Base64.getMimeDecoder().decode(b.data());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("'data' is not base64: " + e.getMessage());
            }
        }
        UploadedFile file = HostPaths.optional("file", b.file());
        String source = b.fileName() != null && !b.fileName().isBlank() ? b.fileName()
                : file != null ? file.path().toString() : "the certificate";
        AddCertificateRequest request = new AddCertificateRequest(r.pathParam("service"), source, content, file,
                b.password() == null ? null : b.password().toCharArray(), b.selfSigned());
        return ApiResponse.json(201, fabric.addCertificate(request));
    }
}
