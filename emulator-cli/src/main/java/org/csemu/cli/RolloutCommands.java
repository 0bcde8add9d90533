package org.csemu.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.cli.support.OperationWait;
import org.csemu.cli.support.ServiceInput;
import org.csemu.cli.support.Views;
import org.csemu.core.validate.LoadResult;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.OperationView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The rollouts of a running deployment besides {@code update}: {@code upgrade} (a new package, the classic Upgrade
 * Deployment), {@code walk} (Walk Upgrade Domain, for Manual mode) and {@code rollback} (Rollback Update Or Upgrade).
 */
public final class RolloutCommands {
    private RolloutCommands() {
    }

    /** {@code csemu upgrade <package|service-dir> [cscfg] [--mode] [--role]}. */
    @Command(name = "upgrade", mixinStandardHelpOptions = true,
            description = {
                "Upgrade a running deployment in place with a new package (or service directory) and configuration",
                "(the classic Upgrade Deployment). Both are validated together and against the deployment first;",
                "nothing changes when they are refused. Then, upgrade domain by upgrade domain, each instance of the",
                "upgraded roles leaves rotation, its connections drain, it is stopped, gets the new role files and",
                "configuration, starts (startup tasks, entry point) and joins rotation when Ready; the next domain",
                "starts once the last one is back. The OS disk is kept (an in-place upgrade); local storage follows",
                "cleanOnRoleRecycle. --mode manual waits for `csemu walk <ud>` before each domain (domain 0 too);",
                "--mode simultaneous takes every instance at once (downtime expected). New instance counts scale.",
                "Changes the cloud does not allow in place (upgradeDomainCount, shrinking local storage) and those",
                "csemu cannot make in place yet (new or removed roles, endpoints, vmsize) are refused (exit 1).",
            },
            footerHeading = "%nExamples:%n",
            footer = {"  csemu upgrade ./hello-web-v2", "  csemu upgrade app.cspkg app.cscfg --mode manual",
                "  csemu walk 0; csemu walk 1"})
    public static final class Upgrade extends ClientCommand {
        @Parameters(index = "0", paramLabel = "<package|service-dir>", description = "The new .cspkg, .csx or "
                + "service directory.")
        java.nio.file.Path service;

        @Parameters(index = "1", arity = "0..1", paramLabel = "<cscfg>",
                description = "The new service configuration (default: the one beside the package or in the directory).")
        java.nio.file.Path cscfg;

        @Option(names = "--mode", paramLabel = "auto|manual|simultaneous", defaultValue = "auto",
                description = "How the upgrade domains are walked (default: ${DEFAULT-VALUE}).")
        String mode;

        @Option(names = "--role", paramLabel = "<role>", description = "Upgrade this role only (the classic "
                + "RoleToUpgrade); the other roles keep their files.")
        String role;

        @Mixin
        DeploymentSelector deployment;

        @Mixin
        OperationWait wait;

        @Override
        protected int execute(DaemonClient client) throws DaemonClientException {
            ServiceInput input;
            try {
                input = ServiceInput.resolve(service, cscfg);
            } catch (IllegalArgumentException e) {
                err().println("csemu: " + e.getMessage());
                return ExitCodes.INVALID;
            }
            LoadResult validation = input.validate();
            validation.diagnostics().forEach(x -> err().println(x.format()));
            if (!validation.ok() || validation.errorCount() > 0) {
                err().println("csemu: " + ValidateCommand.summary(validation) + "; nothing was upgraded");
                return ExitCodes.INVALID;
            }
            DeploymentView d = deployment.select(client);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put(input.directory() ? "serviceDirectory" : "package", input.service().toString());
            body.put("configuration", input.configuration().toString());
            body.put("mode", mode);
            if (role != null) {
                body.put("role", role);
            }
            OperationView op = DaemonClient.convert(client.withTimeout(Duration.ofMinutes(10))
                    .post(DeploymentSelector.path(d.id()) + "/upgrade", body), OperationView.class);
            if (mode.equalsIgnoreCase("manual")) {
                out().println("upgrade " + d.name() + " accepted (" + op.id() + "), Manual mode: walk each upgrade "
                        + "domain with `csemu walk <ud> --deployment " + d.name() + "`, starting with 0");
                out().flush();
                return ExitCodes.OK;
            }
            wait.await(client, op, "upgrade " + d.name(), out());
            return ExitCodes.OK;
        }
    }

    /** {@code csemu walk <ud>}. */
    @Command(name = "walk", mixinStandardHelpOptions = true,
            description = {
                "Walk an upgrade domain of a Manual upgrade or configuration change (the classic Walk Upgrade",
                "Domain): its instances are upgraded now; the command returns when they are back (or with",
                "--no-wait at once). Only the next domain not walked may be named, 0 first; `csemu status` shows it.",
            },
            footerHeading = "%nExample:%n",
            footer = "  csemu upgrade ./v2 --mode manual; csemu walk 0; csemu walk 1")
    public static final class Walk extends ClientCommand {
        @Parameters(index = "0", paramLabel = "<ud>", description = "The upgrade domain (0-based).")
        int domain;

        @Mixin
        DeploymentSelector deployment;

        @Option(names = "--no-wait", description = "Return once the walk is accepted.")
        boolean noWait;

        @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "30m",
                converter = org.csemu.cli.support.DurationConverter.class,
                description = "How long to wait for the domain (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Override
        protected int execute(DaemonClient client) throws DaemonClientException {
            DeploymentView d = deployment.select(client);
            OperationView op = DaemonClient.convert(client.post(DeploymentSelector.path(d.id()) + "/walk",
                    Map.of("upgradeDomain", domain)), OperationView.class);
            if (noWait) {
                out().println("walking upgrade domain " + domain + " of " + d.name() + " (" + op.id() + ")");
                out().flush();
                return ExitCodes.OK;
            }
            org.csemu.fabric.util.Deadline deadline = org.csemu.fabric.util.Deadline.after(timeout);
            while (true) {
                DeploymentView now = client.get(DeploymentSelector.path(d.id()), DeploymentView.class);
                boolean walked = now.upgrade() == null || !now.upgrade().operationId().equals(op.id())
                        || now.upgrade().domains().stream().anyMatch(x -> x.domain() == domain
                        && x.state().equals("done"));
                if (walked) {
                    out().println("upgrade domain " + domain + " of " + d.name() + " walked; "
                            + (now.upgrade() == null ? "the rollout is complete" : Views.upgradeLine(now.upgrade())));
                    out().flush();
                    return ExitCodes.OK;
                }
                if (deadline.expired()) {
                    err().println("csemu: upgrade domain " + domain + " of " + d.name() + " not walked within "
                            + timeout.toSeconds() + " s: " + Views.upgradeLine(now.upgrade()));
                    return ExitCodes.TIMEOUT;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(500).toNanos()); // poll interval
            }
        }
    }

    /** {@code csemu rollback}. */
    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = {
                "Roll back the upgrade or configuration change in progress (the classic Rollback Update Or Upgrade):",
                "it stops before its next upgrade domain, and the instances it already reached return to the",
                "previous package and configuration, domain by domain; the others are untouched. Refused (exit 1)",
                "when nothing is in progress: a completed rollout cannot be rolled back.",
            },
            footerHeading = "%nExample:%n",
            footer = "  csemu rollback --deployment hello-web")
    public static final class Rollback extends ClientCommand {
        @Option(names = "--mode", paramLabel = "auto|manual", defaultValue = "auto",
                description = "How the rollback walks the domains (default: ${DEFAULT-VALUE}).")
        String mode;

        @Mixin
        DeploymentSelector deployment;

        @Mixin
        OperationWait wait;

        @Override
        protected int execute(DaemonClient client) throws DaemonClientException {
            DeploymentView d = deployment.select(client);
            OperationView op = DaemonClient.convert(client.post(DeploymentSelector.path(d.id()) + "/rollback",
                    Map.of("mode", mode)), OperationView.class);
            wait.await(client, op, "rollback " + d.name(), out());
            return ExitCodes.OK;
        }
    }
}
