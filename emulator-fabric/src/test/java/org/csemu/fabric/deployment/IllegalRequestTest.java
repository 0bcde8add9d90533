package org.csemu.fabric.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.csemu.fabric.lifecycle.IllegalTransitionException;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.TransitionTable;
import org.csemu.fabric.lifecycle.Trigger;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.deployment.fakes.Fixtures;
import org.csemu.fabric.deployment.fakes.Harness;
import org.csemu.fabric.deployment.fakes.Seeds;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every (state, request) pair the table does not allow, sent through the controller's public API: refused with an
 * error naming instance, state and what is allowed, and nothing changes — state, event log, desired state on disk,
 * runtime and rotation calls.
 */
class IllegalRequestTest {
    @TempDir
    Path dir;

    static Stream<Arguments> illegalPairs() {
        List<Arguments> out = new ArrayList<>();
        for (InstanceState s : InstanceState.values()) {
            for (Trigger t : Trigger.values()) {
                if (t.isRequest() && TransitionTable.get().find(s, t).isEmpty() && !isDeploymentLevelNoOp(s, t)) {
                    out.add(Arguments.of(s, t));
                }
            }
        }
        return out.stream();
    }

    /**
     * Deployment suspend skips instances already deallocated, and resume only touches stopped ones (like the cloud's
     * Update Deployment Status on a deployment already in that status): no error, and still nothing changes.
     */
    private static boolean isDeploymentLevelNoOp(InstanceState s, Trigger t) {
        return t == Trigger.RESUME || (t == Trigger.SUSPEND && s == InstanceState.STOPPED_DEALLOCATED);
    }

    @ParameterizedTest(name = "{1} in {0} is refused")
    @MethodSource("illegalPairs")
    void refusedAndNothingChanges(InstanceState state, Trigger request) throws IOException {
        Seeds.oneInstanceIn(dir, state);
        Harness h = Harness.open(dir);
        byte[] desired = Files.readAllBytes(dir.resolve("desired.json"));

        assertThatThrownBy(() -> send(h, request))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining(Seeds.INSTANCE)
                .hasMessageContaining("it is " + state.cloudName())
                .hasMessageContaining("allowed in " + state.cloudName() + ": ");

        assertThat(h.state(Seeds.DEPLOYMENT, Seeds.INSTANCE)).isEqualTo(state);
        assertThat(h.controller.events(Seeds.DEPLOYMENT)).isEmpty();
        assertThat(h.timeline.entries()).isEmpty();
        assertThat(Files.readAllBytes(dir.resolve("desired.json"))).isEqualTo(desired);
    }

    static Stream<Arguments> deploymentLevelNoOps() {
        List<Arguments> out = new ArrayList<>();
        for (InstanceState s : InstanceState.values()) {
            if (isDeploymentLevelNoOp(s, Trigger.RESUME) && TransitionTable.get().find(s, Trigger.RESUME).isEmpty()) {
                out.add(Arguments.of(s, Trigger.RESUME));
            }
        }
        out.add(Arguments.of(InstanceState.STOPPED_DEALLOCATED, Trigger.SUSPEND));
        return out.stream();
    }

    @ParameterizedTest(name = "deployment {1} with the instance {0} leaves it alone")
    @MethodSource("deploymentLevelNoOps")
    void deploymentLevelStatusChangesSkipInstancesAlreadyThere(InstanceState state, Trigger request) {
        Seeds.oneInstanceIn(dir, state);
        Harness h = Harness.open(dir);
        send(h, request);
        assertThat(h.state(Seeds.DEPLOYMENT, Seeds.INSTANCE)).isEqualTo(state);
        assertThat(h.controller.events(Seeds.DEPLOYMENT)).isEmpty();
        assertThat(h.timeline.entries()).isEmpty();
    }

    private static void send(Harness h, Trigger request) {
        String dep = Seeds.DEPLOYMENT;
        List<String> one = List.of(Seeds.INSTANCE);
        switch (request) {
            case REBOOT -> h.controller.perform(dep, InstanceOperation.REBOOT, one);
            case REIMAGE -> h.controller.perform(dep, InstanceOperation.REIMAGE, one);
            case REBUILD -> h.controller.perform(dep, InstanceOperation.REBUILD, one);
            case STOP -> h.controller.perform(dep, InstanceOperation.STOP, one);
            case START -> h.controller.perform(dep, InstanceOperation.START, one);
            case DELETE -> h.controller.perform(dep, InstanceOperation.DELETE, one);
            case SCALE_IN -> h.controller.scale(dep, Fixtures.WEB, 0);
            case SUSPEND -> h.controller.suspend(dep);
            case RESUME -> h.controller.resume(dep);
            case CREATE -> h.controller.model().apply(new InstanceRef(dep, Fixtures.WEB, Seeds.INSTANCE),
                    Trigger.CREATE, "test", "op");
            case CREATE_SUSPENDED -> h.controller.model().apply(new InstanceRef(dep, Fixtures.WEB, Seeds.INSTANCE),
                    Trigger.CREATE_SUSPENDED, "test", "op");
            case FAULT_KILL_PROCESS -> h.controller.injectFault(dep, Seeds.INSTANCE, InjectedFault.KILL_PROCESS);
            case FAULT_GUEST_CRASH -> h.controller.injectFault(dep, Seeds.INSTANCE, InjectedFault.GUEST_CRASH);
            case FAULT_PAUSE -> h.controller.injectFault(dep, Seeds.INSTANCE, InjectedFault.PAUSE);
            case FAULT_HOST_FAILURE -> h.controller.injectFault(dep, Seeds.INSTANCE, InjectedFault.HOST_FAILURE);
            case FAULT_STOP_HEARTBEATS -> h.controller.injectFault(dep, Seeds.INSTANCE, InjectedFault.STOP_HEARTBEATS);
            case FAULT_FAIL_NEXT_BOOT -> h.controller.injectFault(dep, Seeds.INSTANCE, InjectedFault.FAIL_NEXT_BOOT);
            default -> throw new IllegalArgumentException(request + " is not a request");
        }
    }
}
