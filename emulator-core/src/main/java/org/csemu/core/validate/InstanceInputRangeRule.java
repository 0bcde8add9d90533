package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.InstanceInputEndpoint;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;

/** Each instance takes one public port of an InstanceInputEndpoint's range: the range holds the instance count. */
final class InstanceInputRangeRule extends BaseRule {

    InstanceInputRangeRule() {
        super("SVC109", Severity.ERROR, "instance input port ranges hold one port per instance");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            var cfg = context.config().role(role.name());
            if (cfg.isEmpty()) {
                continue;
            }
            RoleConfiguration rc = cfg.get();
            for (InstanceInputEndpoint e : role.endpoints().instanceInput()) {
                var range = e.publicPortRange();
                if (range == null) {
                    continue;
                }
                if (range.max() < range.min()) {
                    findings.report(e.location(), "role '" + role.name() + "': instance input endpoint '" + e.name()
                            + "' has an empty public port range " + range.min() + "-" + range.max(),
                            "write the range with min <= max");
                } else if (range.size() < rc.instanceCount()) {
                    findings.report(e.location(), "role '" + role.name() + "': instance input endpoint '" + e.name()
                            + "' allocates public ports " + range.min() + "-" + range.max() + " (" + range.size()
                            + ") but the configuration asks for " + rc.instanceCount() + " instances ("
                            + Locations.format(rc.instancesLocation()) + ")",
                            "widen the FixedPortRange to at least " + rc.instanceCount() + " ports (max=\""
                                    + (range.min() + rc.instanceCount() - 1) + "\"), or lower the instance count");
                }
            }
        }
    }
}
