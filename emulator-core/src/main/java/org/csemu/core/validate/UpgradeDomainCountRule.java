package org.csemu.core.validate;

import org.csemu.core.diag.Severity;

/** upgradeDomainCount is between 1 and 20. */
final class UpgradeDomainCountRule extends BaseRule {

    static final int MAX = 20;

    UpgradeDomainCountRule() {
        super("CSDEF115", Severity.ERROR, "upgradeDomainCount is 1..20");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        int count = context.definition().upgradeDomainCount();
        if (count < 1 || count > MAX) {
            findings.report(context.definition().location(), "service '" + context.definition().name()
                    + "' has upgradeDomainCount=" + count + "; it must be between 1 and " + MAX,
                    "set upgradeDomainCount between 1 and 20, or omit it (default 5)");
        }
    }
}
