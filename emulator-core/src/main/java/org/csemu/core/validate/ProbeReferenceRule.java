package org.csemu.core.validate;

import java.util.List;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.LoadBalancerProbe;
import org.csemu.core.model.RoleDefinition;

/** InputEndpoint@loadBalancerProbe names a probe of the service's LoadBalancerProbes. */
final class ProbeReferenceRule extends BaseRule {

    ProbeReferenceRule() {
        super("CSDEF110", Severity.ERROR, "loadBalancerProbe names a declared LoadBalancerProbe");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        List<String> probes = context.definition().loadBalancerProbes().stream().map(LoadBalancerProbe::name).toList();
        for (RoleDefinition role : context.definition().roles()) {
            for (InputEndpoint e : role.endpoints().input()) {
                String probe = e.loadBalancerProbe();
                if (probe != null && !probes.contains(probe)) {
                    findings.report(e.location(), "role '" + role.name() + "': input endpoint '" + e.name()
                            + "' names load balancer probe '" + probe + "', which the service does not declare"
                            + Names.didYouMean(probe, probes),
                            "declare <LoadBalancerProbe name=\"" + probe + "\" .../> under <LoadBalancerProbes> at the "
                                    + "top of the definition, or remove loadBalancerProbe");
                }
            }
        }
    }
}
