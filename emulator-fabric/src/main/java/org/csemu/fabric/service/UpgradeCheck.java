package org.csemu.fabric.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.csemu.core.model.LocalStorage;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.ServiceDefinition;

/**
 * Whether a new service definition can replace the deployed one by an in-place upgrade, by the cloud's table of
 * allowed changes (azure-service-model §5.3): the upgrade domain count and role names stay; local storage may grow,
 * never shrink or go. Changes the cloud allows in place but csemu cannot make in a running deployment yet (new or
 * removed roles, other endpoints, another VM size, larger local storage) are refused too, each saying so and what
 * works instead, rather than applied halfway.
 *
 * @param refusals one line per change that cannot be made in place (empty: the upgrade may go ahead)
 */
public record UpgradeCheck(List<String> refusals) {
    public UpgradeCheck {
        refusals = List.copyOf(refusals);
    }

    private static final String INSTEAD = "; deploy it to the staging slot and swap (csemu run --slot staging, "
            + "csemu swap), or deploy anew";

    /** Check {@code next} against {@code current}; {@code onlyRole} limits the upgrade to one role (or null). */
    public static UpgradeCheck of(ServiceDefinition current, ServiceDefinition next, String onlyRole) {
        List<String> out = new ArrayList<>();
        if (current.upgradeDomainCount() != next.upgradeDomainCount()) {
            out.add("upgradeDomainCount changes from " + current.upgradeDomainCount() + " to "
                    + next.upgradeDomainCount() + ": the cloud does not allow that in place" + INSTEAD);
        }
        if (onlyRole != null && next.role(onlyRole).isEmpty()) {
            out.add("role " + onlyRole + " (--role) is not in the new service definition; its roles are "
                    + next.roles().stream().map(RoleDefinition::name).toList());
        }
        for (RoleDefinition old : current.roles()) {
            Optional<RoleDefinition> now = next.role(old.name());
            if (now.isEmpty()) {
                out.add("role " + old.name() + " is not in the new service definition: csemu does not remove a role "
                        + "in an upgrade" + INSTEAD);
                continue;
            }
            if (onlyRole != null && !onlyRole.equals(old.name())) {
                continue;
            }
            RoleDefinition role = now.get();
            if (!endpoints(old).equals(endpoints(role))) {
                out.add("role " + old.name() + ": its endpoints change (" + endpoints(old) + " -> " + endpoints(role)
                        + "): csemu does not change endpoints in a running deployment" + INSTEAD);
            }
            if (!Objects.equals(old.vmSize(), role.vmSize())) {
                out.add("role " + old.name() + ": vmsize changes from " + old.vmSize() + " to " + role.vmSize()
                        + ": csemu does not resize instances in an upgrade" + INSTEAD);
            }
            if (old.kind() != role.kind()) {
                out.add("role " + old.name() + " changes kind (" + old.kind() + " -> " + role.kind() + "): a role "
                        + "cannot change kind in place" + INSTEAD);
            }
            for (LocalStorage ls : old.localStorage()) {
                Optional<LocalStorage> n = role.localStorage().stream().filter(x -> x.name().equals(ls.name()))
                        .findFirst();
                if (n.isEmpty()) {
                    out.add("role " + old.name() + ": local storage " + ls.name() + " is removed: the cloud allows "
                            + "local storage only to grow in place" + INSTEAD);
                } else if (n.get().sizeInMB() < ls.sizeInMB()) {
                    out.add("role " + old.name() + ": local storage " + ls.name() + " shrinks from " + ls.sizeInMB()
                            + " to " + n.get().sizeInMB() + " MB: the cloud allows local storage only to grow in "
                            + "place" + INSTEAD);
                } else if (n.get().sizeInMB() > ls.sizeInMB() || n.get().cleanOnRoleRecycle() != ls.cleanOnRoleRecycle()) {
                    out.add("role " + old.name() + ": local storage " + ls.name() + " changes (size or "
                            + "cleanOnRoleRecycle): csemu does not change local storage in a running deployment"
                            + INSTEAD);
                }
            }
            role.localStorage().stream().filter(x -> old.localStorage().stream()
                    .noneMatch(o -> o.name().equals(x.name()))).forEach(x -> out.add("role " + old.name()
                    + ": new local storage " + x.name() + ": csemu does not add local storage in a running deployment"
                    + INSTEAD));
        }
        for (RoleDefinition role : next.roles()) {
            if (current.role(role.name()).isEmpty()) {
                out.add("role " + role.name() + " is new in the service definition: csemu does not add a role in an "
                        + "upgrade" + INSTEAD);
            }
        }
        return new UpgradeCheck(out);
    }

    /** A role's endpoints without their source positions: kind, name, protocol and ports. */
    private static List<String> endpoints(RoleDefinition r) {
        List<String> out = new ArrayList<>();
        r.endpoints().input().forEach(e -> out.add("input " + e.name() + " " + e.protocol() + " " + e.port() + ":"
                + e.localPort()));
        r.endpoints().internal().forEach(e -> out.add("internal " + e.name() + " " + e.protocol() + " " + e.port()
                + " " + e.fixedPorts()));
        r.endpoints().instanceInput().forEach(e -> out.add("instanceInput " + e.name() + " " + e.protocol() + " "
                + e.localPort() + " " + e.publicPortRange()));
        return out;
    }
}
