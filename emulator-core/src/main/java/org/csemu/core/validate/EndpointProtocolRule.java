package org.csemu.core.validate;

import java.util.EnumSet;
import java.util.Set;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.Protocol;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.SourceLocation;

/**
 * The protocols each endpoint kind allows: input http|https|tcp|udp; internal http|tcp|udp|any; instance input
 * tcp|udp.
 */
final class EndpointProtocolRule extends BaseRule {

    static final Set<Protocol> INPUT = EnumSet.of(Protocol.HTTP, Protocol.HTTPS, Protocol.TCP, Protocol.UDP);
    static final Set<Protocol> INTERNAL = EnumSet.of(Protocol.HTTP, Protocol.TCP, Protocol.UDP, Protocol.ANY);
    static final Set<Protocol> INSTANCE_INPUT = EnumSet.of(Protocol.TCP, Protocol.UDP);

    EndpointProtocolRule() {
        super("CSDEF107", Severity.ERROR, "each endpoint kind allows only its protocols");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            role.endpoints().input().forEach(e -> check(findings, role, "input endpoint", e.name(), e.protocol(), INPUT,
                    e.location()));
            role.endpoints().internal().forEach(e -> check(findings, role, "internal endpoint", e.name(), e.protocol(),
                    INTERNAL, e.location()));
            role.endpoints().instanceInput().forEach(e -> check(findings, role, "instance input endpoint", e.name(),
                    e.protocol(), INSTANCE_INPUT, e.location()));
        }
    }

    private static void check(Findings findings, RoleDefinition role, String kind, String name, Protocol protocol,
            Set<Protocol> allowed, SourceLocation at) {
        if (protocol == null || !allowed.contains(protocol)) {
            String allowedList = String.join("|", allowed.stream().map(Protocol::xmlValue).toList());
            findings.report(at, "role '" + role.name() + "': " + kind + " '" + name + "' has protocol '"
                    + (protocol == null ? "" : protocol.xmlValue()) + "', which a " + kind + " does not allow",
                    "use one of " + allowedList + (INSTANCE_INPUT == allowed ? " (use tcp for http/https traffic)" : ""));
        }
    }
}
