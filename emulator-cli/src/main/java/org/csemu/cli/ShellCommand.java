package org.csemu.cli;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.client.HttpTransport;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.cli.support.LocalTerminal;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.TerminalFrames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code csemu shell <instance> [--elevated]}: an interactive login shell in the guest on a real terminal (the
 * guest's virtio console), like {@code multipass shell} or {@code docker exec -it}; exits with the shell's exit code.
 * The user's terminal is in raw mode meanwhile and its size follows into the guest. Bytes pass through unchanged.
 */
@Command(name = "shell", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Open an interactive shell in an instance's guest: a login shell on a real terminal (^C, job",
                "control and full-screen programs work), in approot with the role environment, as the role's user",
                "unless --elevated. One shell per instance at a time. Exits with the shell's exit code. Without a",
                "terminal (stdin piped) the input is typed into the guest's terminal and end of input ends the shell."},
        footerHeading = "%nExamples:%n",
        footer = {"  csemu shell WebRole1_IN_0", "  csemu shell WorkerRole1_IN_1 --elevated",
                "  printf 'ls /csemu/local\\nexit\\n' | csemu shell WebRole1_IN_0"})
public final class ShellCommand extends ClientCommand {
    /** What end of input sends: ^D, end of file at the guest terminal's prompt (twice: once ends a partial line). */
    private static final byte[] END_OF_INPUT = {4, 4};

    @Parameters(index = "0", paramLabel = "<instance>", description = "The instance id, e.g. WebRole1_IN_0.")
    String instance;

    @Mixin
    DeploymentSelector deployment;

    @Option(names = "--elevated", description = "Run the shell as root instead of the role's user.")
    boolean elevated;

    @Override
    protected int execute(DaemonClient client) throws DaemonClientException {
        DeploymentView d = deployment.select(client);
        int[] size = LocalTerminal.size();
        String path = DeploymentSelector.path(d.id()) + "/instances/" + DeploymentSelector.encode(instance)
                + "/shell?elevated=" + elevated + "&rows=" + size[0] + "&cols=" + size[1];
        out().flush();
        HttpTransport.Upgraded connection = client.openTerminal(path);
        Optional<LocalTerminal> raw = LocalTerminal.enterRawMode();
        try (connection) {
            OutputStream toDaemon = connection.out();
            raw.ifPresent(t -> t.onResize(() -> {
                int[] s = LocalTerminal.size();
                send(toDaemon, TerminalFrames.resize(s[0], s[1]));
            }));
            Thread typing = new Thread(() -> forwardInput(System.in, toDaemon), "csemu-shell-input");
            typing.setDaemon(true);
            typing.start();
            return relayOutput(new DataInputStream(connection.in()), System.out);
        } catch (IOException e) {
            throw new DaemonClientException(ExitCodes.DAEMON_ERROR, "the shell's connection to the daemon broke: "
                    + e.getMessage(), e);
        } finally {
            raw.ifPresent(LocalTerminal::close);
        }
    }

    /** Output frames to the user's terminal until the exit code (or the daemon's error). */
    private int relayOutput(DataInputStream in, OutputStream screen) throws IOException, DaemonClientException {
        while (true) {
            byte type;
            try {
                type = in.readByte();
            } catch (EOFException e) {
                throw new DaemonClientException(ExitCodes.DAEMON_ERROR, "the daemon closed the shell without its exit"
                        + " code", e);
            }
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            switch (type) {
                case TerminalFrames.OUTPUT -> {
                    screen.write(payload);
                    screen.flush();
                }
                case TerminalFrames.EXIT -> {
                    return ByteBuffer.wrap(payload).getInt();
                }
                case TerminalFrames.ERROR -> throw new DaemonClientException(ExitCodes.DAEMON_ERROR,
                        new String(payload, StandardCharsets.UTF_8), null);
                default -> throw new DaemonClientException(ExitCodes.DAEMON_ERROR, "unknown terminal frame '"
                        + (char) type + "' from the daemon (a newer daemon? see docs/api.md)", null);
            }
        }
    }

    /** What the user types, as input frames; end of input ends the shell the way ^D at its prompt does. */
    private static void forwardInput(InputStream keyboard, OutputStream toDaemon) {
        byte[] buffer = new byte[4096];
        try {
            for (int n = keyboard.read(buffer); n >= 0; n = keyboard.read(buffer)) {
                if (n > 0) {
                    send(toDaemon, TerminalFrames.frame(TerminalFrames.INPUT, ByteBuffer.wrap(buffer, 0, n)));
                }
            }
            send(toDaemon, TerminalFrames.frame(TerminalFrames.INPUT, ByteBuffer.wrap(END_OF_INPUT)));
        } catch (IOException e) {
            // the session ended: nothing left to type into
        }
    }

    private static void send(OutputStream toDaemon, ByteBuffer frame) {
        synchronized (toDaemon) {
            try {
                toDaemon.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
                toDaemon.flush();
            } catch (IOException e) {
                // the connection is gone; the output side reports it
            }
        }
    }
}
