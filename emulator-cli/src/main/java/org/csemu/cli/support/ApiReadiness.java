package org.csemu.cli.support;

import java.util.List;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.InstanceView;
import org.csemu.fabric.api.RoleView;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.readiness.InstancesReady.Instance;
import org.csemu.fabric.readiness.InstancesReady.Snapshot;

/** The API's views as the snapshots the readiness strategies look at ({@link org.csemu.fabric.readiness.InstancesReady}). */
public final class ApiReadiness {

    private ApiReadiness() {
    }

    /** Every instance of the deployment, as many as its roles declare. */
    public static Snapshot deployment(DeploymentView d) {
        return Snapshot.of(instances(Views.instances(d)), d.roles().stream().mapToInt(RoleView::instanceCount).sum());
    }

    /** The instances of one role, {@code count} of them; a role the deployment does not have has none. */
    public static Snapshot role(DeploymentView d, String role, int count) {
        List<InstanceView> of = d.roles().stream().filter(r -> r.name().equals(role)).findFirst()
                .map(RoleView::instances).orElse(List.of());
        return Snapshot.of(instances(of), count);
    }

    /** One instance. */
    public static Snapshot instance(InstanceView i) {
        return Snapshot.of(instances(List.of(i)), 1);
    }

    /** Whether this instance is Ready (the cloud's {@code ReadyRole}). */
    public static boolean ready(InstanceView i) {
        return InstanceState.fromCloudName(i.status()) == InstanceState.READY_ROLE;
    }

    private static List<Instance> instances(List<InstanceView> views) {
        return views.stream().map(i -> new Instance(i.id(), InstanceState.fromCloudName(i.status()), i.errorCode(),
                i.stateDetails())).toList();
    }
}
