package org.csemu.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.csemu.cli.ExitCodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link LiveDaemon} per test class, so each CLI VM test does not repeat its set-up and tear-down: before all
 * tests, the VM host is required and a fresh data directory made; after all, the deployments named with
 * {@link #removingAtEnd} are removed through the CLI, the daemon is stopped through the CLI (a failing {@code daemon
 * stop} fails the class: it is part of what the user runs) and {@link LiveDaemon#close} deletes whatever is left.
 * Register it as {@code @RegisterExtension static final LiveDaemonSession LIVE = LiveDaemonSession.create();}.
 */
final class LiveDaemonSession implements BeforeAllCallback, AfterAllCallback {
    private final List<String> removeAtEnd = new ArrayList<>();
    private LiveDaemon daemon;

    private LiveDaemonSession() {
    }

    static LiveDaemonSession create() {
        return new LiveDaemonSession();
    }

    /** A deployment the class leaves running on purpose: removed (bounded) before the daemon stops. */
    LiveDaemonSession removingAtEnd(String deployment) {
        removeAtEnd.add(deployment);
        return this;
    }

    LiveDaemon daemon() {
        if (daemon == null) {
            throw new IllegalStateException("the live daemon exists only while its test class runs");
        }
        return daemon;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        LiveDaemon.requireVmHost();
        daemon = LiveDaemon.create();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (daemon == null) {
            return;
        }
        try {
            for (String deployment : removeAtEnd) {
                daemon.csemu("remove", "-d", deployment, "--timeout", "3m");
            }
            LiveDaemon.Result stop = daemon.csemu("daemon", "stop");
            assertThat(stop.code()).as(stop.all()).isEqualTo(ExitCodes.OK);
        } finally {
            daemon.close();
            daemon = null;
        }
    }
}
