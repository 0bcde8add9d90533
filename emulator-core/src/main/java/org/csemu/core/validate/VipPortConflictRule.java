package org.csemu.core.validate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.InstanceInputEndpoint;
import org.csemu.core.model.PortRange;
import org.csemu.core.model.Protocol;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.SourceLocation;

/**
 * The VIP is shared by all roles: an InputEndpoint port is unique across the service, and InstanceInputEndpoint
 * public-port ranges overlap neither input ports nor each other. Ports clash per transport: http, https and tcp
 * are TCP; udp is UDP (a tcp and a udp endpoint may share a number, as a DNS server does).
 */
final class VipPortConflictRule extends BaseRule {

    VipPortConflictRule() {
        super("CSDEF108", Severity.ERROR, "VIP ports and instance input port ranges do not overlap across roles");
    }

    private record Claim(String transport, PortRange range, String kind, String endpoint, String role,
            SourceLocation location, int order, boolean fromModule) {
        String owner() {
            return kind + " '" + endpoint + "' of role '" + role + "'";
        }

        String describe() {
            return range.size() == 1
                    ? "port " + range.min() + "/" + transport
                    : "ports " + range.min() + "-" + range.max() + "/" + transport;
        }
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        List<Claim> claims = new ArrayList<>();
        for (RoleDefinition role : context.definition().roles()) {
            for (InputEndpoint e : role.endpoints().input()) {
                claims.add(new Claim(transport(e.protocol()), PortRange.single(e.port()), "input endpoint", e.name(),
                        role.name(), e.location(), claims.size(), false));
            }
            for (InstanceInputEndpoint e : role.endpoints().instanceInput()) {
                if (e.publicPortRange() != null) {
                    claims.add(new Claim(transport(e.protocol()), e.publicPortRange(), "instance input endpoint",
                            e.name(), role.name(), e.location(), claims.size(), false));
                }
            }
            for (PluginModule module : context.importedModules(role)) {
                for (PluginModule.Endpoint e : module.endpoints()) {
                    if (e.input()) {
                        var imp = role.imports().stream().filter(i -> i.moduleName().equals(module.name())).findFirst();
                        claims.add(new Claim(transport(e.protocol()), PortRange.single(e.port()),
                                "input endpoint (declared by the " + module.name() + " import)", e.name(), role.name(),
                                imp.map(i -> i.location()).orElse(role.location()), claims.size(), true));
                    }
                }
            }
        }
        claims.sort(Comparator.comparing(Claim::transport).thenComparingInt(c -> c.range().min())
                .thenComparingInt(Claim::order));
        for (int i = 0; i < claims.size(); i++) {
            Claim a = claims.get(i);
            for (int j = i + 1; j < claims.size(); j++) {
                Claim b = claims.get(j);
                if (!b.transport().equals(a.transport()) || b.range().min() > a.range().max()) {
                    break;
                }
                if (a.fromModule() && b.fromModule()) {
                    continue; // two roles importing RemoteForwarder: CSDEF126 says it better
                }
                Claim first = a.order() < b.order() ? a : b;
                Claim second = first == a ? b : a;
                findings.report(second.location(), "VIP " + second.describe() + " of " + second.owner()
                        + " overlaps " + first.describe() + " of " + first.owner() + " ("
                        + Locations.format(first.location()) + ")",
                        "give every input endpoint its own port and keep instance input port ranges apart; the VIP "
                                + "is shared by all roles of the service");
            }
        }
    }

    private static String transport(Protocol protocol) {
        return protocol == Protocol.UDP ? "udp" : "tcp";
    }
}
