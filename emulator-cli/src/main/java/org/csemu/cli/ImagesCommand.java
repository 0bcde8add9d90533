package org.csemu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.cli.support.Views;
import org.csemu.fabric.api.ImageView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code csemu images add|list|rm}: the daemon's image repository (read-only, content-addressed base images). */
@Command(name = "images", mixinStandardHelpOptions = true,
        description = "Manage the base images role instances boot from (OsImage@href names one; else the default).",
        subcommands = {ImagesCommand.Add.class, ImagesCommand.ListImages.class, ImagesCommand.Remove.class})
public final class ImagesCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register an image: a qcow2 or raw disk, and for direct kernel boot its kernel, initrd and"
                    + " command line. The files are copied into the repository and made read-only.",
            footerHeading = "%nExample:%n",
            footer = "  csemu images add my-base /srv/img/disk.qcow2 --kernel /srv/img/vmlinux --initrd /srv/img/initrd.img --cmdline 'console=ttyS0 root=/dev/vda'")
    static final class Add extends ClientCommand {
        @Parameters(index = "0", paramLabel = "<name>", description = "The name configurations use (OsImage@href).")
        String name;

        @Parameters(index = "1", paramLabel = "<disk>", description = "The disk file (qcow2 or raw).")
        Path disk;

        @Option(names = "--format", paramLabel = "FORMAT", description = "qcow2 or raw (default: detected).")
        String format;

        @Option(names = "--kernel", paramLabel = "FILE", description = "Kernel for direct boot.")
        Path kernel;

        @Option(names = "--initrd", paramLabel = "FILE", description = "Initrd for direct boot.")
        Path initrd;

        @Option(names = "--cmdline", paramLabel = "ARGS", description = "Kernel command line for direct boot.")
        String cmdline;

        @Option(names = "--default", description = "Also make it the default image (for roles that name none).")
        boolean makeDefault;

        @Override
        protected int execute(DaemonClient client) throws DaemonClientException {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("disk", disk.toAbsolutePath().normalize().toString());
            if (format != null) {
                body.put("format", format);
            }
            if (kernel != null) {
                body.put("kernel", kernel.toAbsolutePath().normalize().toString());
            }
            if (initrd != null) {
                body.put("initrd", initrd.toAbsolutePath().normalize().toString());
            }
            if (cmdline != null) {
                body.put("cmdline", cmdline);
            }
            body.put("default", makeDefault);
            client.withTimeout(java.time.Duration.ofMinutes(30)).post("/api/v1/images", body);
            out().println("image " + name + " added");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
            description = "List the images: name, id, format, size, direct boot, default, the deployments using it.",
            footerHeading = "%nExample:%n", footer = "  csemu images list --json")
    static final class ListImages extends ClientCommand {
        @Option(names = "--json", description = "A JSON array of images.")
        boolean json;

        @Override
        protected int execute(DaemonClient client) throws DaemonClientException {
            List<ImageView> images = Arrays.asList(DaemonClient.convert(client.get("/api/v1/images"), ImageView[].class));
            if (json) {
                try {
                    out().println(DaemonClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(images));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                return ExitCodes.OK;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "ID", "FORMAT", "SIZE", "BOOT", "DEFAULT", "USED BY"});
            for (ImageView i : images) {
                String id = i.id().startsWith("sha256:") ? i.id().substring(7) : i.id();
                rows.add(new String[] {i.name(), id.substring(0, Math.min(12, id.length())), i.format(),
                    (i.sizeBytes() / (1024 * 1024)) + " MiB", i.directBoot() ? "kernel" : "disk",
                    i.isDefault() ? "yes" : "", String.join(",", i.usedBy())});
            }
            Views.table(rows).forEach(out()::println);
            return ExitCodes.OK;
        }
    }

    @Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
            description = "Remove an image (refused while a deployment uses it).",
            footerHeading = "%nExample:%n", footer = "  csemu images rm my-base")
    static final class Remove extends ClientCommand {
        @Parameters(index = "0", paramLabel = "<image>", description = "The image's name or id.")
        String image;

        @Override
        protected int execute(DaemonClient client) throws DaemonClientException {
            client.delete("/api/v1/images/" + DeploymentSelector.encode(image));
            out().println("image " + image + " removed");
            return ExitCodes.OK;
        }
    }
}
