package org.csemu.fabric.api.routes;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;
import org.csemu.fabric.api.CreateDeploymentRequest;
import org.csemu.fabric.api.FabricException;
import org.csemu.fabric.api.FabricService;
import org.csemu.fabric.api.UploadedFile;
import org.csemu.fabric.api.UpgradeRequest;
import org.csemu.fabric.api.server.ApiException;
import org.csemu.fabric.api.server.ApiRequest;
import org.csemu.fabric.api.server.ApiResponse;
import org.csemu.fabric.api.server.BodyKind;
import org.csemu.fabric.api.server.BodyPolicy;
import org.csemu.fabric.api.server.Form;
import org.csemu.fabric.api.server.Router;

/**
 * {@code /api/v1/deployments}: create (by path or by upload), list, read, delete, suspend, resume, configure, upgrade,
 * walk an upgrade domain, roll back, swap.
 */
final class DeploymentRoutes {

    static final String BASE = "/api/v1/deployments";

    /**
     * The JSON form of a create request: a package or a service directory on this host, and a configuration.
     */
    record CreateBody(@JsonProperty("name") String name, @JsonProperty("package") String packagePath,
            @JsonProperty("serviceDirectory") String serviceDirectory,
            @JsonProperty("configuration") String configurationPath, @JsonProperty("start") Boolean start,
            @JsonProperty("treatWarningsAsErrors") Boolean treatWarningsAsErrors,
            @JsonProperty("slot") String slot) {
    }

    /**
     * The JSON body of a swap: the deployment (name or id) whose slot is exchanged with the other one's; or, as the
     * classic Swap Deployment names them, the production deployment and the one to swap with it.
     */
    record SwapBody(@JsonProperty("deployment") String deployment, @JsonProperty("production") String production,
            @JsonProperty("sourceDeployment") String sourceDeployment) {
    }

    /** The JSON body of an upgrade: a package or a service directory on this host, a configuration, mode, role. */
    record UpgradeBody(@JsonProperty("package") String packagePath,
            @JsonProperty("serviceDirectory") String serviceDirectory,
            @JsonProperty("configuration") String configurationPath, @JsonProperty("mode") String mode,
            @JsonProperty("role") String role) {
    }

    /** The JSON body of Walk Upgrade Domain (the classic {@code <UpgradeDomain>}). */
    record WalkBody(@JsonProperty("upgradeDomain") Integer upgradeDomain) {
    }

    /** The JSON body of a rollback: its mode (auto or manual; default auto). */
    record RollbackBody(@JsonProperty("mode") String mode) {
    }

    /** The JSON form of a configuration change: a {@code .cscfg} on this host, and the mode. */
    record ConfigurationBody(@JsonProperty("configuration") String configurationPath, @JsonProperty("mode") String mode) {
    }

    private final FabricService fabric;

    DeploymentRoutes(FabricService fabric) {
        this.fabric = fabric;
    }

    void register(Router router) {
        BodyPolicy create = BodyPolicy.builder()
                .accept("application/json", BodyKind.MEMORY)
                .accept("application/zip", BodyKind.FILE)
                .accept("application/octet-stream", BodyKind.FILE)
                .accept("multipart/form-data", BodyKind.MULTIPART)
                .build();
        BodyPolicy configuration = BodyPolicy.builder()
                .accept("application/json", BodyKind.MEMORY)
                .accept("application/xml", BodyKind.FILE)
                .accept("text/xml", BodyKind.FILE)
                .build();
        router.get(BASE, r -> ApiResponse.ok(fabric.listDeployments()));
        router.add(HttpMethod.POST, BASE, create, this::create);
        router.add(HttpMethod.POST, BASE + "/swap", BodyPolicy.builder().accept("application/json", BodyKind.MEMORY)
                .build(), this::swap);
        router.get(BASE + "/{id}", r -> ApiResponse.ok(fabric.getDeployment(r.pathParam("id"))));
        router.add(HttpMethod.DELETE, BASE + "/{id}", BodyPolicy.NONE,
                r -> Accepted.of(fabric.deleteDeployment(r.pathParam("id"))));
        router.add(HttpMethod.POST, BASE + "/{id}/suspend", BodyPolicy.NONE,
                r -> Accepted.of(fabric.suspendDeployment(r.pathParam("id"))));
        router.add(HttpMethod.POST, BASE + "/{id}/resume", BodyPolicy.NONE,
                r -> Accepted.of(fabric.resumeDeployment(r.pathParam("id"))));
        router.add(HttpMethod.PUT, BASE + "/{id}/configuration", configuration, this::configure);
        BodyPolicy json = BodyPolicy.builder().accept("application/json", BodyKind.MEMORY).build();
        router.add(HttpMethod.POST, BASE + "/{id}/upgrade", json, this::upgrade);
        router.add(HttpMethod.POST, BASE + "/{id}/walk", json, r -> {
            WalkBody b = r.json(WalkBody.class);
            if (b.upgradeDomain() == null || b.upgradeDomain() < 0) {
                throw ApiException.badRequest("name the upgrade domain to walk: {\"upgradeDomain\": <0-based number>}");
            }
            return Accepted.of(fabric.walkUpgradeDomain(r.pathParam("id"), b.upgradeDomain()));
        });
        router.add(HttpMethod.POST, BASE + "/{id}/rollback", json, r -> Accepted.of(fabric.rollbackUpdateOrUpgrade(
                r.pathParam("id"), r.body() != null && r.body().length > 0 ? r.json(RollbackBody.class).mode()
                        : r.queryParam("mode"))));
    }

    private ApiResponse upgrade(ApiRequest r) {
        UpgradeBody b = r.json(UpgradeBody.class);
        if ((b.packagePath() == null) == (b.serviceDirectory() == null)) {
            throw ApiException.badRequest("give exactly one of 'package' (a .cspkg) and 'serviceDirectory'");
        }
        boolean dir = b.serviceDirectory() != null;
        UploadedFile service = dir ? HostPaths.required("serviceDirectory", b.serviceDirectory())
                : HostPaths.required("package", b.packagePath());
        return Accepted.of(fabric.upgradeDeployment(r.pathParam("id"), new UpgradeRequest(service, dir,
                HostPaths.required("configuration", b.configurationPath()), b.mode(), b.role())));
    }

    private ApiResponse create(ApiRequest r) {
        CreateDeploymentRequest request;
        if (r.form() != null) {
            request = fromForm(r.form());
        } else if (r.bodyFile() != null) {
            // raw package upload: the rest of the request is in the query
            UploadedFile pkg = new UploadedFile(r.bodyFile(), r.queryParam("filename"), true);
            request = new CreateDeploymentRequest(r.queryParam("name"), pkg, false,
                    HostPaths.required("configuration", r.queryParam("configuration")),
                    bool(r, "start", true), bool(r, "treatWarningsAsErrors", false), staging(r.queryParam("slot")));
        } else {
            CreateBody b = r.json(CreateBody.class);
            if ((b.packagePath() == null) == (b.serviceDirectory() == null)) {
                throw ApiException.badRequest("give exactly one of 'package' (a .cspkg) and 'serviceDirectory'");
            }
            boolean dir = b.serviceDirectory() != null;
            UploadedFile service = dir ? HostPaths.required("serviceDirectory", b.serviceDirectory())
                    : HostPaths.required("package", b.packagePath());
            request = new CreateDeploymentRequest(b.name(), service, dir,
                    HostPaths.required("configuration", b.configurationPath()),
                    b.start() == null || b.start(), b.treatWarningsAsErrors() != null && b.treatWarningsAsErrors(),
                    staging(b.slot()));
        }
        return Accepted.of(fabric.createDeployment(request));
    }

    /**
     * {@code multipart/form-data}: file parts {@code package} and {@code configuration} (or a text field
     * {@code configuration} with a path on this host), text fields {@code name}, {@code start},
     * {@code treatWarningsAsErrors}, {@code slot}.
     */
    private static CreateDeploymentRequest fromForm(Form form) {
        Set<String> known = Set.of("package", "configuration", "name", "start", "treatWarningsAsErrors", "slot");
        for (String part : form.fields().keySet()) {
            if (!known.contains(part)) {
                throw ApiException.badRequest("unknown form field '" + part + "' (known: " + known + ")");
            }
        }
        for (String part : form.files().keySet()) {
            if (!part.equals("package") && !part.equals("configuration")) {
                throw ApiException.badRequest("unknown file part '" + part + "' (known: package, configuration)");
            }
        }
        Form.FilePart pkg = form.files().get("package");
        if (pkg == null) {
            throw ApiException.badRequest("the form needs a file part 'package' (the .cspkg)");
        }
        Form.FilePart cfgPart = form.files().get("configuration");
        UploadedFile cfg = cfgPart != null ? new UploadedFile(cfgPart.path(), cfgPart.filename(), true)
                : HostPaths.required("configuration", form.fields().get("configuration"));
        return new CreateDeploymentRequest(form.fields().get("name"),
                new UploadedFile(pkg.path(), pkg.filename(), true), false, cfg,
                bool("start", form.fields().get("start"), true),
                bool("treatWarningsAsErrors", form.fields().get("treatWarningsAsErrors"), false),
                staging(form.fields().get("slot")));
    }

    private ApiResponse swap(ApiRequest r) {
        SwapBody b = r.json(SwapBody.class);
        if (b.deployment() != null && !b.deployment().isBlank()) {
            return Accepted.of(fabric.swapDeployment(b.deployment()));
        }
        if (b.sourceDeployment() == null || b.sourceDeployment().isBlank()) {
            throw ApiException.badRequest("name the deployment to swap: {\"deployment\": \"<name or id>\"} (or the"
                    + " classic {\"production\": \"<name>\", \"sourceDeployment\": \"<name>\"})");
        }
        // the classic form: 409 when the names are not what the slots hold now
        requireSlot(b.sourceDeployment(), "Staging");
        if (b.production() != null && !b.production().isBlank()) {
            requireSlot(b.production(), "Production");
        }
        return Accepted.of(fabric.swapDeployment(b.sourceDeployment()));
    }

    private void requireSlot(String deployment, String slot) {
        String actual = fabric.getDeployment(deployment).slot();
        if (!actual.equals(slot)) {
            throw FabricException.conflict("SlotMismatch", "deployment '" + deployment + "' is in the "
                    + actual.toLowerCase() + " slot, not in " + slot.toLowerCase());
        }
    }

    private static boolean staging(String slot) {
        try {
            return CreateDeploymentRequest.isStaging(slot);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private ApiResponse configure(ApiRequest r) {
        if (r.bodyFile() != null) {
            return Accepted.of(fabric.updateConfiguration(r.pathParam("id"),
                    new UploadedFile(r.bodyFile(), "ServiceConfiguration.cscfg", true), r.queryParam("mode")));
        }
        ConfigurationBody b = r.json(ConfigurationBody.class);
        return Accepted.of(fabric.updateConfiguration(r.pathParam("id"),
                HostPaths.required("configuration", b.configurationPath()),
                b.mode() != null ? b.mode() : r.queryParam("mode")));
    }

    private static boolean bool(ApiRequest r, String name, boolean defaultValue) {
        return bool(name, r.queryParam(name), defaultValue);
    }

    private static boolean bool(String name, String v, boolean defaultValue) {
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw ApiException.badRequest("'" + name + "' must be true or false, not '" + v + "'");
    }
}
