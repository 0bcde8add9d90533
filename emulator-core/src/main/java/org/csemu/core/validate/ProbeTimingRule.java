package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.LoadBalancerProbe;

/**
 * The cloud takes an instance out of rotation after two missed probes: the timeout should be at least twice the
 * interval (defaults 15 s and 31 s). Shorter timeouts work, but one lost probe then drops the instance.
 */
final class ProbeTimingRule extends BaseRule {

    ProbeTimingRule() {
        super("CSDEF114", Severity.WARNING, "probe timeout is at least twice the interval (two probes)");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (LoadBalancerProbe p : context.definition().loadBalancerProbes()) {
            if (p.intervalInSeconds() >= LoadBalancerProbe.MIN_INTERVAL_SECONDS
                    && p.timeoutInSeconds() >= LoadBalancerProbe.MIN_TIMEOUT_SECONDS
                    && p.timeoutInSeconds() < 2 * p.intervalInSeconds()) {
                findings.report(p.location(), "load balancer probe '" + p.name() + "': timeoutInSeconds="
                        + p.timeoutInSeconds() + " is less than twice intervalInSeconds=" + p.intervalInSeconds()
                        + ", so a single missed probe takes an instance out of rotation",
                        "set timeoutInSeconds to at least " + (2 * p.intervalInSeconds() + 1)
                                + " (the cloud's default pair is 15 and 31)");
            }
        }
    }
}
