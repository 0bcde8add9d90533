package org.csemu.core.validate;

import java.util.HashMap;
import java.util.Map;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.LoadBalancerProbe;
import org.csemu.core.model.SourceLocation;

/**
 * A probe is well-formed: unique name; a path for http and none for tcp; interval at least 5 s; timeout at least
 * 11 s.
 */
final class ProbeSettingsRule extends BaseRule {

    ProbeSettingsRule() {
        super("CSDEF113", Severity.ERROR, "probes: unique names, path for http only, interval >= 5, timeout >= 11");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        Map<String, SourceLocation> seen = new HashMap<>();
        for (LoadBalancerProbe p : context.definition().loadBalancerProbes()) {
            String at = "load balancer probe '" + p.name() + "'";
            SourceLocation first = seen.putIfAbsent(p.name(), p.location());
            if (first != null) {
                findings.report(p.location(), at + " is declared twice (first at " + Locations.format(first) + ")",
                        "give each probe its own name");
            }
            boolean hasPath = p.path() != null && !p.path().isBlank();
            if (p.protocol() == LoadBalancerProbe.ProbeProtocol.HTTP && !hasPath) {
                findings.report(p.location(), at + " uses http but has no path",
                        "add path=\"/health\" (the page must answer 200 OK when the instance can take traffic)");
            }
            if (p.protocol() == LoadBalancerProbe.ProbeProtocol.TCP && hasPath) {
                findings.report(p.location(), at + " uses tcp but has path '" + p.path() + "'; a tcp probe only connects",
                        "remove the path, or use protocol=\"http\"");
            }
            if (p.intervalInSeconds() < LoadBalancerProbe.MIN_INTERVAL_SECONDS) {
                findings.report(p.location(), at + " has intervalInSeconds=" + p.intervalInSeconds()
                        + "; the minimum is " + LoadBalancerProbe.MIN_INTERVAL_SECONDS,
                        "set intervalInSeconds to 5 or more (default 15)");
            }
            if (p.timeoutInSeconds() < LoadBalancerProbe.MIN_TIMEOUT_SECONDS) {
                findings.report(p.location(), at + " has timeoutInSeconds=" + p.timeoutInSeconds()
                        + "; the minimum is " + LoadBalancerProbe.MIN_TIMEOUT_SECONDS,
                        "set timeoutInSeconds to 11 or more (default 31)");
            }
            if (p.port() < 0 || p.port() > 65535) {
                findings.report(p.location(), at + " has port " + p.port() + ", outside 1..65535",
                        "use a port between 1 and 65535, or omit it to probe the endpoint's own port");
            }
        }
    }
}
