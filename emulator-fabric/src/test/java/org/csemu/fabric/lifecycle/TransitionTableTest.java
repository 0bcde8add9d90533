package org.csemu.fabric.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.csemu.fabric.deployment.FabricModel;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.deployment.fakes.FakeRotation;
import org.csemu.fabric.deployment.fakes.Fixtures;
import org.csemu.fabric.deployment.fakes.ManualScheduler;
import org.csemu.fabric.deployment.fakes.Seeds;
import org.csemu.fabric.deployment.fakes.Timeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the table, applied to an instance in its from-state through the model, as the controller does. */
class TransitionTableTest {
    private static final InstanceRef REF = new InstanceRef(Seeds.DEPLOYMENT, Fixtures.WEB, Seeds.INSTANCE);

    @TempDir
    Path dir;

    static Stream<Arguments> rows() {
        return TransitionTable.get().rows().stream().map(t -> Arguments.of(t.from(), t.trigger(), t.toName()));
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @MethodSource("rows")
    void everyRowMovesTheInstanceAndIsLogged(InstanceState from, Trigger trigger, String to) {
        Seeds.oneInstanceIn(dir, from);
        Timeline timeline = new Timeline();
        FabricModel model = FabricModel.open(dir, new ManualScheduler(), new FakeRotation(timeline));

        Transition t = model.apply(REF, trigger, "test", "op-test").orElseThrow();

        assertThat(t.toName()).isEqualTo(to);
        assertThat(model.state(REF).map(InstanceState::cloudName).orElse("(removed)")).isEqualTo(to);
        List<LifecycleEvent> events = model.events(Seeds.DEPLOYMENT);
        assertThat(events).hasSize(1);
        LifecycleEvent e = events.get(0);
        assertThat(e.from()).isEqualTo(from.cloudName());
        assertThat(e.to()).isEqualTo(to);
        assertThat(e.trigger()).isEqualTo(trigger);
        assertThat(e.operationId()).isEqualTo("op-test");
        assertThat(e.instanceId()).isEqualTo(Seeds.INSTANCE);
        assertThat(e.timestamp()).isNotNull();
        boolean wasIn = from == InstanceState.READY_ROLE;
        boolean isIn = to.equals("ReadyRole");
        List<String> rotation;
        if (to.equals(InstanceState.ROLE_STATE_UNKNOWN.cloudName())) {
            rotation = List.of(); // Unknown keeps the rotation the LB has (FabricModel.publishRotation)
        } else if (from == InstanceState.ROLE_STATE_UNKNOWN) {
            rotation = List.of((isIn ? "in " : "out ") + Seeds.INSTANCE); // leaving Unknown declares it either way
        } else {
            rotation = wasIn && !isIn ? List.of("out " + Seeds.INSTANCE)
                    : !wasIn && isIn ? List.of("in " + Seeds.INSTANCE) : List.of();
        }
        assertThat(timeline.entries()).isEqualTo(rotation);
    }

    @ParameterizedTest(name = "events without a row in {0} are stale")
    @EnumSource(InstanceState.class)
    void anEventWithoutARowIsIgnoredAndChangesNothing(InstanceState state) throws IOException {
        Seeds.oneInstanceIn(dir, state);
        Timeline timeline = new Timeline();
        FabricModel model = FabricModel.open(dir, new ManualScheduler(), new FakeRotation(timeline));
        byte[] desired = Files.readAllBytes(dir.resolve("desired.json"));
        int tried = 0;
        for (Trigger trigger : Trigger.values()) {
            if (trigger.isRequest() || TransitionTable.get().find(state, trigger).isPresent()) {
                continue;
            }
            tried++;
            assertThat(model.apply(REF, trigger, "test", null)).as(trigger.name()).isEmpty();
            assertThat(model.state(REF)).contains(state);
        }
        assertThat(tried).isPositive();
        assertThat(model.events(Seeds.DEPLOYMENT)).isEmpty();
        assertThat(timeline.entries()).isEmpty();
        assertThat(Files.readAllBytes(dir.resolve("desired.json"))).isEqualTo(desired);
    }

    @Test
    void createIsRefusedOnceAnInstanceExists() {
        Seeds.oneInstanceIn(dir, InstanceState.READY_ROLE);
        FabricModel model = FabricModel.open(dir, new ManualScheduler(), new FakeRotation(new Timeline()));
        assertThatThrownBy(() -> model.apply(REF, Trigger.CREATE, "x", "op"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("cannot create instance " + REF + ": it is ReadyRole (started and ready: in load-balancer "
                        + "rotation); allowed in ReadyRole: delete, fault_fail_next_boot, fault_guest_crash, "
                        + "fault_host_failure, fault_kill_process, fault_pause, fault_stop_heartbeats, reboot, rebuild, reimage, "
                        + "scale_in, stop, suspend");
    }

    @Test
    void everyStateHasARowAndEveryTriggerIsUsed() {
        TransitionTable table = TransitionTable.get();
        for (InstanceState s : InstanceState.values()) {
            assertThat(table.rows()).as("rows from " + s).anyMatch(t -> t.from() == s && t.to().orElse(null) != s);
        }
        for (Trigger t : Trigger.values()) {
            assertThat(table.rows()).as("rows for " + t).anyMatch(r -> r.trigger() == t);
        }
    }

    @Test
    void inFlightStatesRefuseEveryOperation() {
        for (InstanceState s : TransitionTable.IN_FLIGHT) {
            assertThat(TransitionTable.get().allowedRequests(s)).as(s.cloudName()).isEmpty();
        }
    }

    @Test
    void stateNamesAreTheCloudNames() {
        assertThat(Stream.of(InstanceState.values()).map(InstanceState::cloudName)).containsExactly(
                "RoleStateUnknown", "CreatingVM", "StartingVM", "CreatingRole", "StartingRole", "ReadyRole",
                "BusyRole", "StoppingRole", "StoppingVM", "DeletingVM", "StoppedVM", "RestartingRole", "CyclingRole",
                "FailedStartingRole", "FailedStartingVM", "UnresponsiveRole", "StoppedDeallocated", "Preparing");
    }
}
