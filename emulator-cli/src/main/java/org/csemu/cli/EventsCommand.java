package org.csemu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.cli.support.DurationConverter;
import org.csemu.cli.support.EventFollower;
import org.csemu.cli.support.Views;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.EventView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code csemu events [--follow]}: the event log (every instance state change, with its cause). */
@Command(name = "events", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the event log: every instance state transition with its time, trigger and cause.",
            "--follow keeps printing new events as they happen (server-sent events), until Ctrl-C."},
        footerHeading = "%nExamples:%n",
        footer = {"  csemu events", "  csemu events --follow -d hello-web",
            "  csemu events --json --since 120"})
public final class EventsCommand extends ClientCommand {

    @Option(names = {"-d", "--deployment"}, paramLabel = "NAME", description = "Only this deployment (name or id).")
    String deployment;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events.")
    boolean follow;

    @Option(names = "--since", paramLabel = "SEQUENCE", defaultValue = "0",
            description = "Only events after this sequence number.")
    long since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
            description = "At most this many past events (1..10000). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --follow: stop after this long (exit 0).")
    Duration followFor;

    @Option(names = "--json", description = "A JSON array (with --follow: one JSON object per line).")
    boolean json;

    @Override
    protected int execute(DaemonClient client) throws DaemonClientException, InterruptedException {
        Map<String, String> names = new HashMap<>();
        for (DeploymentView d : DeploymentSelector.list(client)) {
            names.put(d.id(), d.name());
        }
        String filter = null;
        if (deployment != null) {
            filter = client.get(DeploymentSelector.path(deployment), DeploymentView.class).id();
        }
        if (!follow) {
            List<EventView> events = Arrays.asList(DaemonClient.convert(client.get("/api/v1/events?since=" + since
                    + "&limit=" + limit + (filter == null ? "" : "&deployment=" + DeploymentSelector.encode(filter))),
                    EventView[].class));
            if (json) {
                out().println(write(events, true));
            } else {
                events.forEach(e -> out().println(Views.event(e, names)));
            }
            return ExitCodes.OK;
        }
        EventFollower follower = new EventFollower(connection.info(), connection.token(), client);
        follower.follow(filter, since, followFor, e -> {
            out().println(json ? write(e, false) : Views.event(e, names));
            out().flush();
        });
        return ExitCodes.OK;
    }

    private static String write(Object o, boolean pretty) {
        try {
            return pretty ? DaemonClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o)
                    : DaemonClient.JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
