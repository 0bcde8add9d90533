package org.csemu.fabric.deployment.fakes;

import java.util.List;
import java.util.Optional;
import org.csemu.core.model.Endpoints;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.LoadBalancerDistribution;
import org.csemu.core.model.LocalStorage;
import org.csemu.core.model.Protocol;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.RoleKind;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.model.SourceLocation;
import org.csemu.core.model.TopologyChangeDiscovery;

/** Service models for the tests. */
public final class Fixtures {
    public static final String WEB = "WebRole1";
    public static final String WORKER = "WorkerRole1";
    public static final String VM = "VmRole1";

    private Fixtures() {
    }

    /** A web role (2 instances; local storage "cache" cleaned on recycle, "logs" kept) and a worker (1; "scratch"). */
    public static ServiceDefinition definition(boolean withVmRole) {
        List<RoleDefinition> roles = new java.util.ArrayList<>(List.of(
                role(WEB, RoleKind.WEB_ROLE, true, List.of(storage("cache", true), storage("logs", false))),
                role(WORKER, RoleKind.WORKER_ROLE, false, List.of(storage("scratch", true)))));
        if (withVmRole) {
            roles.add(role(VM, RoleKind.VIRTUAL_MACHINE_ROLE, false, List.of(storage("data", true))));
        }
        return new ServiceDefinition("svc", 5, "unspecified", TopologyChangeDiscovery.UPGRADE_DOMAIN_WALK, List.of(),
                roles, List.of(), SourceLocation.UNKNOWN);
    }

    public static ServiceConfiguration configuration(int web, int worker, int vm) {
        List<RoleConfiguration> roles = new java.util.ArrayList<>(List.of(config(WEB, web), config(WORKER, worker)));
        if (vm > 0) {
            roles.add(config(VM, vm));
        }
        return new ServiceConfiguration("svc", "7", "*", "unspecified", roles, Optional.empty(), Optional.empty(),
                SourceLocation.UNKNOWN);
    }

    private static RoleDefinition role(String name, RoleKind kind, boolean http, List<LocalStorage> storage) {
        Endpoints endpoints = http
                ? new Endpoints(List.of(new InputEndpoint("HttpIn", Protocol.HTTP, 8080, 8080, null, false, null, null,
                        4, LoadBalancerDistribution.FIVE_TUPLE, SourceLocation.UNKNOWN)), List.of(), List.of())
                : Endpoints.NONE;
        return new RoleDefinition(name, kind, "Small", false, endpoints, List.of(), storage, List.of(), List.of(),
                List.of(), Optional.empty(), List.of(), List.of(), SourceLocation.UNKNOWN);
    }

    private static LocalStorage storage(String name, boolean clean) {
        return new LocalStorage(name, 10, clean, SourceLocation.UNKNOWN);
    }

    private static RoleConfiguration config(String name, int count) {
        return new RoleConfiguration(name, null, count, List.of(), List.of(), null, SourceLocation.UNKNOWN,
                SourceLocation.UNKNOWN);
    }
}
