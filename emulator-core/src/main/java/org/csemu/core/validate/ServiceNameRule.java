package org.csemu.core.validate;

import java.util.Objects;
import org.csemu.core.diag.Severity;

/** The configuration's serviceName equals the definition's name. */
final class ServiceNameRule extends BaseRule {

    ServiceNameRule() {
        super("SVC101", Severity.ERROR, "cscfg serviceName equals csdef name");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        var def = context.definition();
        var cfg = context.config();
        if (!Objects.equals(def.name(), cfg.serviceName())) {
            findings.report(cfg.location(), "serviceName '" + cfg.serviceName() + "' does not match the definition's "
                    + "name '" + def.name() + "' (" + Locations.format(def.location()) + ")",
                    "set serviceName=\"" + def.name() + "\" in the configuration, or pair it with the right definition");
        }
    }
}
