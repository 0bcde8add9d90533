package org.csemu.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.csemu.fabric.host.CheckResult;
import org.csemu.fabric.host.DoctorReport;
import org.csemu.fabric.host.HostContext;
import org.csemu.fabric.host.HostDoctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code csemu doctor}: verifies, one check at a time, everything {@code ./csemu setup} guarantees, and says how to
 * fix each failure. Exit 0 when no check failed (no usable KVM is information, not a failure), 1 otherwise.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check that this host can run csemu VMs: QEMU/libvirt installed, libvirtd answering under a "
                + "child subreaper, virtlogd, /dev/kvm, KVM or TCG, no libvirt 'default' network, the guest image "
                + "intact, the data directory reachable by QEMU.",
                "Exit status: 0 all required checks pass, 1 a check failed, 2 usage error."})
public final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = {"-c", "--connect"}, paramLabel = "URI",
            description = "libvirt URI (default: qemu:///system for root, qemu:///session for any other user).")
    String uri;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "csemu data directory (default: $CSEMU_DATA_DIR,"
            + " else /var/lib/csemu for root and $XDG_DATA_HOME/csemu, i.e. ~/.local/share/csemu, for any other user).")
    Path dataDir;

    @Option(names = "--image-cache", paramLabel = "DIR",
            description = "the shared guest image cache (default: $CSEMU_IMAGE_CACHE or /var/lib/csemu/image-cache).")
    Path imageCache;

    @Override
    public Integer call() throws Exception {
        HostContext context = HostContext.system(System.getenv());
        if (uri != null) {
            context = context.withLibvirtUri(uri);
        }
        if (dataDir != null) {
            context = context.withDataDir(dataDir.toAbsolutePath());
        }
        if (imageCache != null) {
            context = context.withImageCache(imageCache.toAbsolutePath());
        }
        DoctorReport report = HostDoctor.standard().examine(context);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(report, context));
        } else {
            out.println("csemu doctor: " + context.scope().kind().label() + " daemon of " + context.scope().user()
                    + ": libvirt " + context.libvirtUri() + ", data directory " + context.dataDir()
                    + ", shared image cache " + context.imageCache());
            printText(report, out);
        }
        out.flush();
        return report.passed() ? ExitCodes.OK : ExitCodes.INVALID;
    }

    static void printText(DoctorReport report, PrintWriter out) {
        out.println("csemu doctor");
        for (CheckResult r : report.results()) {
            out.printf(Locale.ROOT, "  %-5s %-40s %s%n", r.status(), r.title(), r.detail());
            if (r.failed() && !r.fix().isEmpty()) {
                out.printf(Locale.ROOT, "        fix: %s%n", r.fix());
            }
        }
        int failed = report.failures().size();
        out.println(failed == 0 ? "all required checks passed" : failed + " check" + (failed == 1 ? "" : "s") + " failed");
    }

    static String toJson(DoctorReport report, HostContext context) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("passed", report.passed());
        root.put("scope", context.scope().kind().label());
        root.put("user", context.scope().user());
        root.put("libvirtUri", context.libvirtUri());
        root.put("dataDirectory", context.dataDir().toString());
        root.put("imageCache", context.imageCache().toString());
        ArrayNode checks = root.putArray("checks");
        for (CheckResult r : report.results()) {
            ObjectNode c = checks.addObject();
            c.put("id", r.id());
            c.put("title", r.title());
            c.put("status", r.status().name());
            c.put("detail", r.detail());
            if (!r.fix().isEmpty()) {
                c.put("fix", r.fix());
            }
        }
        return mapper.writeValueAsString(root);
    }
}
