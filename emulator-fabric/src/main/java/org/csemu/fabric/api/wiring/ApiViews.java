package org.csemu.fabric.api.wiring;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.api.BackendView;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.DiagnosticView;
import org.csemu.fabric.api.EndpointView;
import org.csemu.fabric.api.ErrorView;
import org.csemu.fabric.api.ImageView;
import org.csemu.fabric.api.InstanceView;
import org.csemu.fabric.api.OperationStatus;
import org.csemu.fabric.api.OperationView;
import org.csemu.fabric.api.RoleView;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.InstanceSnapshot;
import org.csemu.fabric.deployment.DeploymentSnapshot;
import org.csemu.fabric.deployment.RoleRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.fabric.service.InstanceNetwork;

/**
 * The controller's records and the fabric's endpoints shaped into the management API's views (deployment, instance,
 * image, operation); read-only, so {@link FabricServiceAdapter} keeps only translation of requests and refusals.
 */
final class ApiViews {
    private final Fabric fabric;
    private final Map<String, List<DiagnosticView>> warnings;

    ApiViews(Fabric fabric, Map<String, List<DiagnosticView>> warnings) {
        this.fabric = fabric;
        this.warnings = warnings;
    }

    DeploymentView deployment(DeploymentSnapshot d) {
        List<VipEndpoint> vip = fabric.endpoints(d.id());
        List<RoleView> roles = new ArrayList<>();
        for (RoleRecord r : d.roles()) {
            List<InstanceView> instances = d.instances().stream().filter(i -> i.ref().roleName().equals(r.name()))
                    .map(i -> instance(i, vip)).toList();
            roles.add(new RoleView(r.name(), r.kind().elementName(),
                    r.osImage() == null ? fabric.config().defaultImage() : r.osImage(), r.instanceCount(), instances));
        }
        List<EndpointView> endpoints = vip.stream().filter(e -> e.instanceId() == null)
                .map(e -> new EndpointView(e.endpoint(), e.protocol(), e.address(), e.boundPort(), e.declaredPort(),
                        localPort(d.id(), d.instances(), e.endpoint()), e.accessControl(), e.deniedByAcl()))
                .toList();
        Instant created = fabric.controller().model().deployment(d.id()).map(DeploymentRecord::created).orElse(null);
        return new DeploymentView(d.id(), d.name(), d.status(), fabric.config().vipAddress(), created, roles, endpoints,
                warnings.getOrDefault(d.id(), List.of()), d.slot() == Slot.STAGING ? "Staging" : "Production",
                upgrade(d.upgrade()));
    }

    private static org.csemu.fabric.api.UpgradeView upgrade(org.csemu.fabric.deployment.UpgradeStatus u) {
        if (u == null) {
            return null;
        }
        return new org.csemu.fabric.api.UpgradeView(u.operationId(), u.kind(), u.mode().cloudName(), u.currentDomain(),
                u.currentDomainState(), u.domains().stream().map(x -> new org.csemu.fabric.api.UpgradeView.Domain(
                        x.domain(), x.state(), x.instances())).toList(), u.rollbackAllowed());
    }

    private int localPort(String deploymentId, List<InstanceSnapshot> instances,
            String endpoint) {
        for (InstanceSnapshot i : instances) {
            Optional<InstanceNetwork> n = fabric.instanceNetwork(deploymentId, i.ref().instanceId());
            if (n.isPresent() && n.get().localPorts().containsKey(endpoint)) {
                return n.get().localPorts().get(endpoint);
            }
        }
        return 0;
    }

    InstanceView instance(InstanceSnapshot i, List<VipEndpoint> vip) {
        Optional<InstanceNetwork> net = fabric.instanceNetwork(i.ref().deploymentId(), i.ref().instanceId());
        List<EndpointView> endpoints = new ArrayList<>();
        String address = net.map(InstanceNetwork::address).orElse(null);
        net.ifPresent(n -> n.hostPorts().forEach((name, port) -> {
            Optional<VipEndpoint> onVip = vip.stream().filter(e -> e.endpoint().equals(name)
                    && e.role().equals(i.ref().roleName())).findFirst();
            int local = n.localPorts().getOrDefault(name, port);
            endpoints.add(new EndpointView(name, onVip.map(VipEndpoint::protocol).orElse("tcp"), n.address(), port,
                    onVip.map(VipEndpoint::declaredPort).orElse(local), local, null, 0));
        }));
        List<BackendView> lb = new ArrayList<>();
        fabric.rotation().backendStats(i.ref()).forEach((name, b) -> lb.add(new BackendView(name, b.inRotation(),
                b.ejected(), b.connections(), b.active(), b.connectFailures(), b.resets(), b.redispatched(),
                b.ejections())));
        return new InstanceView(i.ref().instanceId(), i.ref().roleName(), i.state().cloudName(), i.since(),
                i.stateDetails(), i.errorCode(), powerState(i.state()), i.updateDomain(), i.faultDomain(), address,
                i.inRotation(), endpoints, lb);
    }

    static String powerState(InstanceState s) {
        return switch (s) {
            case CREATING_VM, STARTING_VM, CREATING_ROLE, STARTING_ROLE, RESTARTING_ROLE, CYCLING_ROLE -> "Starting";
            case READY_ROLE, BUSY_ROLE, UNRESPONSIVE_ROLE, FAILED_STARTING_ROLE -> "Started";
            case STOPPING_ROLE, STOPPING_VM, DELETING_VM -> "Stopping";
            case STOPPED_VM, STOPPED_DEALLOCATED, FAILED_STARTING_VM, PREPARING -> "Stopped";
            case ROLE_STATE_UNKNOWN -> "Unknown";
        };
    }

    ImageView image(Image i) throws IOException {
        String name = i.names().isEmpty() ? i.shortId() : i.names().get(0);
        return new ImageView("sha256:" + i.id(), name, i.diskFormat(), i.diskSize(), i.kernel() != null,
                i.names().contains(fabric.config().defaultImage()), i.addedAt(),
                fabric.images().users(i.id()).stream().map(this::nameOf).toList());
    }

    String nameOf(String deploymentId) {
        return fabric.controller().model().deployment(deploymentId).map(DeploymentRecord::name).orElse(deploymentId);
    }

    static OperationView operation(OperationRecord s) {
        OperationStatus status = switch (s.status()) {
            case IN_PROGRESS -> OperationStatus.InProgress;
            case SUCCEEDED -> OperationStatus.Succeeded;
            case FAILED -> OperationStatus.Failed;
        };
        ErrorView error = s.status() == OperationRecord.Status.FAILED
                ? new ErrorView("OperationFailed", s.errors().isEmpty() ? s.kind() + " failed"
                        : String.join("; ", s.errors()), List.of())
                : null;
        return new OperationView(s.id(), s.kind(), s.target(), status, s.started(), s.finished(), error);
    }
}
