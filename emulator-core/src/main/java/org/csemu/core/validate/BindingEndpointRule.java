package org.csemu.core.validate;

import java.util.ArrayList;
import java.util.List;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.Binding;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.InternalEndpoint;
import org.csemu.core.model.Protocol;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.Site;

/**
 * A Site binding names an endpoint of its own role that IIS can serve: an http or https input endpoint, or an http
 * internal endpoint (sites may also listen on internal http endpoints).
 */
final class BindingEndpointRule extends BaseRule {

    BindingEndpointRule() {
        super("CSDEF111", Severity.ERROR, "Binding@endpointName names an http(s) endpoint of the same role");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            List<String> usable = new ArrayList<>();
            List<String> all = new ArrayList<>();
            for (InputEndpoint e : role.endpoints().input()) {
                all.add(e.name());
                if (e.protocol() == Protocol.HTTP || e.protocol() == Protocol.HTTPS) {
                    usable.add(e.name());
                }
            }
            for (InternalEndpoint e : role.endpoints().internal()) {
                all.add(e.name());
                if (e.protocol() == Protocol.HTTP) {
                    usable.add(e.name());
                }
            }
            role.endpoints().instanceInput().forEach(e -> all.add(e.name()));
            for (Site site : role.sites()) {
                for (Binding b : site.bindings()) {
                    String at = "role '" + role.name() + "': site '" + site.name() + "' binding '" + b.name() + "'";
                    if (all.contains(b.endpointName()) && !usable.contains(b.endpointName())) {
                        findings.report(b.location(), at + " uses endpoint '" + b.endpointName()
                                + "', which is not an http/https endpoint IIS can bind",
                                "bind the site to an http or https InputEndpoint (or an http InternalEndpoint)");
                    } else if (!all.contains(b.endpointName())) {
                        findings.report(b.location(), at + " names endpoint '" + b.endpointName()
                                + "', which role '" + role.name() + "' does not declare"
                                + Names.didYouMean(b.endpointName(), usable),
                                "declare <InputEndpoint name=\"" + b.endpointName()
                                        + "\" protocol=\"http\" port=\"80\"/> in the role's <Endpoints>, or fix the name");
                    }
                }
            }
        }
    }
}
