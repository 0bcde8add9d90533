package org.csemu.fabric.api.routes;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import org.csemu.fabric.api.AddImageRequest;
import org.csemu.fabric.api.FabricService;
import org.csemu.fabric.api.server.ApiException;
import org.csemu.fabric.api.server.ApiRequest;
import org.csemu.fabric.api.server.ApiResponse;
import org.csemu.fabric.api.server.BodyPolicy;
import org.csemu.fabric.api.server.Router;

/** {@code /api/v1/images}: the image repository. Disks are named by path: they are far beyond any upload limit. */
final class ImageRoutes {

    /** The JSON form of an image registration. */
    record AddBody(@JsonProperty("name") String name, @JsonProperty("disk") String disk,
            @JsonProperty("format") String format, @JsonProperty("kernel") String kernel,
            @JsonProperty("initrd") String initrd, @JsonProperty("cmdline") String cmdline,
            @JsonProperty("default") Boolean makeDefault) {
    }

    private final FabricService fabric;

    ImageRoutes(FabricService fabric) {
        this.fabric = fabric;
    }

    void register(Router router) {
        router.get("/api/v1/images", r -> ApiResponse.ok(fabric.listImages()));
        router.add(HttpMethod.POST, "/api/v1/images", BodyPolicy.JSON, this::add);
        router.add(HttpMethod.DELETE, "/api/v1/images/{image}", BodyPolicy.NONE, r -> {
            fabric.deleteImage(r.pathParam("image"));
            return ApiResponse.noContent();
        });
    }

    private ApiResponse add(ApiRequest r) {
        AddBody b = r.json(AddBody.class);
        if (b.name() == null || b.name().isBlank()) {
            throw ApiException.badRequest("'name' is required");
        }
        if (b.format() != null && !b.format().equals("qcow2") && !b.format().equals("raw")) {
            throw ApiException.badRequest("'format' must be qcow2 or raw, not '" + b.format() + "'");
        }
        AddImageRequest request = new AddImageRequest(b.name(), HostPaths.required("disk", b.disk()), b.format(),
                HostPaths.optional("kernel", b.kernel()), HostPaths.optional("initrd", b.initrd()), b.cmdline(),
                b.makeDefault() != null && b.makeDefault());
        return Accepted.of(fabric.addImage(request));
    }
}
