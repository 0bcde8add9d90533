package org.csemu.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.client.DaemonLocator;
import org.csemu.cli.support.ApiReadiness;
import org.csemu.cli.support.DaemonConnection;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.cli.support.DurationConverter;
import org.csemu.cli.support.ProgressView;
import org.csemu.cli.support.ServiceInput;
import org.csemu.cli.support.Views;
import org.csemu.core.validate.LoadResult;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.EndpointView;
import org.csemu.fabric.api.InstanceView;
import org.csemu.fabric.api.OperationStatus;
import org.csemu.fabric.api.OperationView;
import org.csemu.fabric.daemon.DataDirectory;
import org.csemu.fabric.readiness.EndpointAnswers;
import org.csemu.fabric.readiness.InstancesReady;
import org.csemu.fabric.readiness.Ready.Status;
import org.csemu.fabric.readiness.Ready;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code csemu run}: the main path. Validate offline, start the daemon if none runs, deploy, follow every instance
 * to {@code ReadyRole}, and end with the URL of each input endpoint on the VIP.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Deploy a service and follow it until every instance is Ready; print its endpoints' URLs on the VIP.",
            "Validates offline first (errors: exit 1, nothing deployed), starts the daemon when none runs,",
            "then shows each instance's state as it changes. Ctrl-C stops following; the deployment goes on.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every instance is Ready (and, with --wait-ready, every HTTP endpoint answers)",
            "1:the service is invalid, or the deployment was refused or failed",
            "3:no daemon and it could not be started   4:token refused",
            "5:not Ready within --timeout (the failing instances' last error and console tail are printed)",
            "6:the daemon failed",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  csemu run samples/hello-web",
            "  csemu run samples/hello-web --wait-ready --timeout 5m",
            "  csemu run app.cspkg ServiceConfiguration.Local.cscfg --name staging-test",
            "  csemu run samples/hello-web --name green --slot staging",
        })
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DaemonConnection connection;

    @Parameters(index = "0", paramLabel = "<service>", description = "A service directory or a .cspkg package.")
    Path service;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<cscfg>",
            description = "The service configuration (default for a directory: its only *.cscfg).")
    Path cscfg;

    @Option(names = "--name", paramLabel = "NAME", description = "The deployment's name (default: the directory's or"
            + " package's name; with --slot staging that name + \"-staging\").")
    String name;

    @Option(names = "--wait-ready", description = "Also wait until every HTTP input endpoint answers on the VIP (for CI).")
    boolean waitReady;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long to wait for Ready (90s, 5m, 1h). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--detach", description = "Return once the deployment is accepted; do not wait for Ready.")
    boolean detach;

    @Option(names = {"--suspended", "--no-start"},
            description = "Create the deployment Suspended (StartDeployment=false): its VIP listeners are bound and"
                    + " printed, no VM starts; start it later with csemu resume.")
    boolean suspended;

    @Option(names = "--slot", paramLabel = "SLOT", defaultValue = "production",
            description = "production or staging: the staging slot gets VIP listeners of its own (csemu swap exchanges"
                    + " them with production's). One deployment per slot and service. Default: ${DEFAULT-VALUE}.")
    String slot;

    @Option(names = "--daemon-port", paramLabel = "N",
            description = "The API port of a daemon this command starts (0: any free port). Default: 7070, or any"
                    + " free port when 7070 is taken.")
    Integer daemonPort;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (redrawn on a terminal, plain lines otherwise), tty or plain. Default: ${DEFAULT-VALUE}.")
    String progress;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ServiceInput input = ServiceInput.resolve(service, cscfg);
            LoadResult validation = input.validate();
            validation.diagnostics().forEach(d -> err.println(d.format()));
            if (!validation.ok() || validation.errorCount() > 0) {
                err.println("csemu: " + ValidateCommand.summary(validation) + "; nothing was deployed");
                err.flush();
                return ExitCodes.INVALID;
            }
            ensureDaemon(err);
            DaemonClient client = connection.connect();
            Map<String, Object> body = new LinkedHashMap<>();
            boolean staging = !"production".equalsIgnoreCase(slot);
            // the production deployment of the service usually has the default name already
            body.put("name", name != null ? name : input.defaultName() + (staging ? "-staging" : ""));
            body.put(input.directory() ? "serviceDirectory" : "package", input.service().toString());
            body.put("configuration", input.configuration().toString());
            if (suspended) {
                body.put("start", false);
            }
            if (staging) {
                body.put("slot", slot);
            }
            OperationView op = DaemonClient.convert(client.withTimeout(Duration.ofMinutes(10))
                    .post("/api/v1/deployments", body), OperationView.class);
            String deployment = op.target();
            out.println((suspended ? "creating " + deployment + " suspended" : "deploying " + deployment)
                    + " (operation " + op.id() + ")");
            out.flush();
            if (suspended) {
                return reportSuspended(client, deployment, op, out);
            }
            if (detach) {
                DeploymentView d = client.get(DeploymentSelector.path(deployment), DeploymentView.class);
                Views.endpointLines(d).forEach(out::println);
                out.flush();
                return ExitCodes.OK;
            }
            return follow(client, deployment, op.id(), out, err);
        } catch (DaemonClientException e) {
            out.flush();
            e.printTo(err);
            return e.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.TIMEOUT;
        }
    }

    /** A deployment created suspended: wait for the (instant) create, print its endpoints and how to start it. */
    private int reportSuspended(DaemonClient client, String deployment, OperationView op, PrintWriter out)
            throws DaemonClientException {
        OperationView done = client.awaitOperation(op.id(), timeout);
        if (done.status() == OperationStatus.Failed) {
            throw new DaemonClientException(ExitCodes.INVALID, "creating " + deployment + " failed: "
                    + (done.error() == null ? "" : done.error().message()));
        }
        DeploymentView d = client.get(DeploymentSelector.path(deployment), DeploymentView.class);
        out.println(deployment + " is " + d.status() + ": " + Views.instances(d).size()
                + " instance(s) StoppedDeallocated, none in rotation; start it with: csemu resume -d " + deployment);
        Views.endpointLines(d).forEach(out::println);
        out.flush();
        return ExitCodes.OK;
    }

    /** Starts the daemon in the background when none runs on the data directory, as {@code csemu daemon start}. */
    private void ensureDaemon(PrintWriter err) throws DaemonClientException {
        DataDirectory dir = connection.dataDirectory();
        if (DaemonLocator.runningDaemon(dir).isPresent()) {
            return;
        }
        err.println("csemu: no daemon runs on " + dir + "; starting one");
        StringWriter startOut = new StringWriter();
        var cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(startOut, true));
        cl.setErr(new PrintWriter(startOut, true));
        // --timeout bounds the whole run, the daemon's first start too (a user's first start also starts and probes
        // their session libvirtd, which takes a while on a busy machine)
        List<String> start = new ArrayList<>(List.of("daemon", "start", "--data-dir", dir.root().toString(),
                "--timeout", Long.toString(Math.max(1, timeout.toSeconds()))));
        if (daemonPort != null) {
            start.addAll(List.of("--port", Integer.toString(daemonPort)));
        }
        int code = cl.execute(start.toArray(String[]::new));
        err.print(startOut);
        err.flush();
        if (code != ExitCodes.OK) {
            throw new DaemonClientException(code == ExitCodes.TIMEOUT ? ExitCodes.TIMEOUT : ExitCodes.NOT_RUNNING,
                    "the daemon could not be started (see above and " + dir.logFile() + ")");
        }
    }

    private int follow(DaemonClient client, String deployment, String operationId, PrintWriter out, PrintWriter err)
            throws DaemonClientException, InterruptedException {
        boolean tty = switch (progress) {
            case "tty" -> true;
            case "plain" -> false;
            default -> System.console() != null;
        };
        ProgressView view = new ProgressView(out, tty);
        DeploymentView[] last = new DeploymentView[1];
        OperationView[] op = new OperationView[1];
        Deadline deadline = Deadline.after(timeout);
        Ready deploymentReady = () -> {
            last[0] = client.get(DeploymentSelector.path(deployment), DeploymentView.class);
            view.update(last[0]);
            op[0] = client.get("/api/v1/operations/" + operationId, OperationView.class);
            Status instances = InstancesReady.status(ApiReadiness.deployment(last[0]), false);
            if (op[0].status() == OperationStatus.Failed && !instances.isReady()) {
                return Status.failed(op[0].error() == null ? "" : op[0].error().message());
            }
            return instances;
        };
        Status ready = await(deploymentReady, deadline, Duration.ofMillis(500));
        view.finish();
        if (ready.isFailed()) {
            err.println("csemu: deployment " + deployment + " failed: " + ready.detail());
            explain(client, deployment, last[0], err);
            return ExitCodes.INVALID;
        }
        if (!ready.isReady()) {
            err.println("csemu: deployment " + deployment + " is not Ready after " + timeout.toSeconds() + " s");
            explain(client, deployment, last[0], err);
            return ExitCodes.TIMEOUT;
        }
        if (waitReady) {
            Status answering = await(Ready.allOf(httpEndpoints(last[0])),
                    deadline.expired() ? Deadline.after(Duration.ofSeconds(1)) : deadline, Duration.ofMillis(300));
            if (!answering.isReady()) {
                err.println("csemu: every instance is Ready but these endpoints do not answer on the VIP within "
                        + timeout.toSeconds() + " s: " + answering.detail());
                explain(client, deployment, last[0], err);
                return ExitCodes.TIMEOUT;
            }
        }
        out.println(deployment + " is ready: " + Views.instances(last[0]).size() + " instance(s) in rotation");
        Views.endpointLines(last[0]).forEach(out::println);
        out.flush();
        return ExitCodes.OK;
    }

    private static Status await(Ready ready, Deadline deadline, Duration interval)
            throws DaemonClientException, InterruptedException {
        try {
            return ready.await(deadline, Poller.every(interval));
        } catch (DaemonClientException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new DaemonClientException(ExitCodes.DAEMON_ERROR, e.toString(), e);
        }
    }

    /** One strategy per HTTP endpoint on the VIP (TCP/UDP endpoints are not probed). */
    private static List<EndpointAnswers> httpEndpoints(DeploymentView d) {
        HttpClient http = EndpointAnswers.client();
        List<EndpointAnswers> out = new ArrayList<>();
        for (EndpointView e : d.endpoints()) {
            if ("http".equalsIgnoreCase(e.protocol())) {
                out.add(new EndpointAnswers(http, e.name(), URI.create(Views.url(e))));
            }
        }
        return out;
    }

    /** For every instance not Ready: its state, last error and the end of its console. */
    static void explain(DaemonClient client, String deployment, DeploymentView d, PrintWriter err) {
        if (d == null) {
            err.flush();
            return;
        }
        for (InstanceView i : Views.instances(d)) {
            if (ApiReadiness.ready(i)) {
                continue;
            }
            err.println("  " + i.id() + ": " + i.status() + (i.errorCode() == null ? "" : " (" + i.errorCode() + ")")
                    + " since " + i.statusSince() + (i.stateDetails() == null ? "" : "; last error: " + i.stateDetails()));
            try {
                String console = client.getText(DeploymentSelector.path(deployment) + "/instances/"
                        + DeploymentSelector.encode(i.id()) + "/console?tail=20");
                if (!console.isBlank()) {
                    err.println("  console of " + i.id() + " (last 20 lines):");
                    console.lines().forEach(l -> err.println("    | " + l));
                }
            } catch (DaemonClientException e) {
                err.println("  (console of " + i.id() + " not available: " + e.getMessage() + ")");
            }
        }
        err.flush();
    }
}
