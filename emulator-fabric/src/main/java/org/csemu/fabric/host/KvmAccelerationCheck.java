package org.csemu.fabric.host;

/** Reports whether guests get KVM or TCG. Never a failure: csemu is built to run under TCG. */
public final class KvmAccelerationCheck implements HostCheck {

    private static final String TITLE = "KVM acceleration";

    @Override
    public String id() {
        return "kvm";
    }

    @Override
    public CheckResult run(HostContext context) {
        KvmSupport kvm = KvmSupport.detect(context);
        return kvm.usable()
                ? CheckResult.ok(id(), TITLE, "KVM will be used: " + kvm.reason())
                : CheckResult.info(id(), TITLE, "TCG will be used (slower, fine): " + kvm.reason());
    }
}
