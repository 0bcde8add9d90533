package org.csemu.fabric.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.csemu.fabric.deployment.fakes.FakeRuntime;
import org.csemu.fabric.deployment.fakes.FakeVips;
import org.csemu.fabric.deployment.fakes.Fixtures;
import org.csemu.fabric.deployment.fakes.Harness;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.recovery.Recovery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Swap Deployment on fakes: slots and VIP ports are exchanged, names stay; a move into an empty slot; the cloud's
 * refusals; and a swap cut by a SIGKILL at each of its steps, completed by the next daemon with the same operation.
 */
class VipSwapTest {
    private static final String HTTP = "WebRole1/HttpIn";
    private static final String ADMIN = "WebRole1/Admin";

    @TempDir
    Path dir;

    private final FakeVips vips = new FakeVips();

    private String deploy(Harness h, String name, Slot slot, int port) {
        String id = h.controller.createDeployment(name, slot, Fixtures.definition(false),
                Fixtures.configuration(1, 1, 0)).deployment().id();
        vips.listen(id, HTTP, port);
        vips.listen(id, ADMIN, port + 1000);
        h.runtime.settle();
        return id;
    }

    private static Slot slot(Harness h, String id) {
        return h.controller.view(id).orElseThrow().slot();
    }

    private static List<LifecycleEvent> swapEvents(Harness h, String id) {
        return h.controller.events(id).stream().filter(e -> e.instanceId() == null).toList();
    }

    @Test
    void aSwapExchangesTheSlotsAndTheVipPortsAndKeepsTheNames() {
        Harness h = Harness.open(dir);
        String blue = deploy(h, "blue", Slot.PRODUCTION, 8080);
        String green = deploy(h, "green", Slot.STAGING, 8081);

        OperationRecord op = h.controller.swap(green, vips);

        assertThat(op.status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(op.kind()).isEqualTo("SwapDeployment");
        assertThat(slot(h, green)).isEqualTo(Slot.PRODUCTION);
        assertThat(slot(h, blue)).isEqualTo(Slot.STAGING);
        assertThat(h.controller.view(green).orElseThrow().name()).isEqualTo("green");
        assertThat(vips.onPort(8080, HTTP)).as("the production VIP now reaches green").isEqualTo(green);
        assertThat(vips.onPort(8081, HTTP)).isEqualTo(blue);
        assertThat(vips.onPort(9080, ADMIN)).isEqualTo(green);
        assertThat(h.controller.model().swaps()).isEmpty();
        assertThat(swapEvents(h, green)).extracting(LifecycleEvent::operationId).containsOnly(op.id());
        assertThat(swapEvents(h, green)).extracting(LifecycleEvent::cause).satisfiesExactly(
                c -> assertThat(c).startsWith("vip swap started"),
                c -> assertThat(c).startsWith("vip swap VIP listeners moved"),
                c -> assertThat(c).isEqualTo("vip swap slot changed"));
        assertThat(swapEvents(h, green).get(2)).extracting(LifecycleEvent::from, LifecycleEvent::to)
                .containsExactly("Staging", "Production");

        h.controller.swap(blue, vips); // and back: either deployment names the swap
        assertThat(slot(h, blue)).isEqualTo(Slot.PRODUCTION);
        assertThat(vips.onPort(8080, HTTP)).isEqualTo(blue);
    }

    @Test
    void withTheOtherSlotEmptyTheDeploymentMovesIntoItOnPortsOfItsOwn() {
        Harness h = Harness.open(dir);
        String blue = deploy(h, "blue", Slot.PRODUCTION, 8080);

        h.controller.swap(blue, vips);

        assertThat(slot(h, blue)).isEqualTo(Slot.STAGING);
        assertThat(vips.port(blue, HTTP)).as("the staging VIP is not the production one").isNotEqualTo(8080);
        assertThat(vips.onPort(8080, HTTP)).as("nothing answers on the production VIP").isNull();
        String green = deploy(h, "green", Slot.PRODUCTION, 8080);
        assertThat(slot(h, green)).isEqualTo(Slot.PRODUCTION);
    }

    @Test
    void aSecondDeploymentOfTheSameServiceAndSlotIsRefused() {
        Harness h = Harness.open(dir);
        deploy(h, "blue", Slot.STAGING, 8080);
        assertThatThrownBy(() -> deploy(h, "green", Slot.STAGING, 8081))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("staging slot of service 'svc'");
    }

    @Test
    void aSwapIsRefusedWhileEitherDeploymentHasAnOperationInProgressAndChangesNothing() {
        List<Runnable> held = new ArrayList<>();
        Executor holding = held::add;
        Harness h = Harness.open(dir, Harness.POLICY, holding);
        String blue = h.controller.createDeployment("blue", Slot.PRODUCTION, Fixtures.definition(false),
                Fixtures.configuration(1, 1, 0)).deployment().id();
        vips.listen(blue, HTTP, 8080);
        OperationRecord creating = h.controller.operations().all().get(0);
        assertThat(creating.done()).isFalse();

        assertThatThrownBy(() -> h.controller.swap(blue, vips)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("operation in progress: CreateDeployment " + creating.id());
        assertThat(slot(h, blue)).isEqualTo(Slot.PRODUCTION);
        assertThat(h.controller.model().swaps()).isEmpty();
        assertThat(vips.port(blue, HTTP)).isEqualTo(8080);

        new ArrayList<>(held).forEach(Runnable::run);
        h.runtime.settle();
        assertThat(h.controller.swap(blue, vips).status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
    }

    @Test
    void deploymentsWhoseInputEndpointsDifferCannotBeSwapped() {
        Harness h = Harness.open(dir);
        String blue = deploy(h, "blue", Slot.PRODUCTION, 8080);
        String green = deploy(h, "green", Slot.STAGING, 8081);
        vips.listen(green, "WebRole1/Extra", 7000);
        assertThatThrownBy(() -> h.controller.swap(blue, vips)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input endpoints differ");
        assertThat(slot(h, blue)).isEqualTo(Slot.PRODUCTION);
        assertThat(h.controller.operations().all()).noneMatch(o -> o.kind().equals("SwapDeployment"));
    }

    /**
     * The daemon is SIGKILLed in the middle of a swap — before any listener moved, after the first of two, after
     * both but before the slots were written — with the VIP (its own process) outliving it. The next daemon finds the
     * swap in desired.json and completes it with the same operation: never half-swapped, never swapped twice.
     */
    @ParameterizedTest(name = "killed after {0} listener move(s)")
    @ValueSource(ints = {0, 1, 2})
    void aSwapCutBySigkillCompletesAfterTheRestartWithTheSameOperation(int movesBeforeTheKill) {
        Harness before = Harness.open(dir);
        String blue = deploy(before, "blue", Slot.PRODUCTION, 8080);
        String green = deploy(before, "green", Slot.STAGING, 8081);
        vips.killAfterMoves(movesBeforeTheKill);

        assertThatThrownBy(() -> before.controller.swap(green, vips)).isInstanceOf(FakeRuntime.SimulatedKill.class);
        String operation = before.controller.model().swaps().get(0).operationId();
        assertThat(slot(before, green)).as("the slots change only when the swap completes").isEqualTo(Slot.STAGING);

        Harness after = before.restartKeepingTheVip();
        assertThat(after.controller.operation(operation).orElseThrow().done()).isFalse();
        after.controller.resumeSwaps(vips); // what the daemon's start does once the listeners are bound again
        new Recovery(after.controller, after.runtime).run();
        after.runtime.settle();

        assertThat(after.controller.operation(operation).orElseThrow().status())
                .isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(slot(after, green)).isEqualTo(Slot.PRODUCTION);
        assertThat(slot(after, blue)).isEqualTo(Slot.STAGING);
        assertThat(vips.onPort(8080, HTTP)).isEqualTo(green);
        assertThat(vips.onPort(9080, ADMIN)).as("every listener, not just the first").isEqualTo(green);
        assertThat(vips.onPort(8081, HTTP)).isEqualTo(blue);
        assertThat(vips.onPort(9081, ADMIN)).isEqualTo(blue);
        assertThat(after.controller.model().swaps()).isEmpty();
        assertThat(swapEvents(after, green)).extracting(LifecycleEvent::operationId).containsOnly(operation);
        assertThat(swapEvents(after, green)).extracting(LifecycleEvent::cause)
                .contains("vip swap resumed after a daemon restart", "vip swap slot changed");

        Harness again = after.restartKeepingTheVip();
        again.controller.resumeSwaps(vips);
        assertThat(slot(again, green)).as("a completed swap is not done again").isEqualTo(Slot.PRODUCTION);
        assertThat(vips.onPort(8080, HTTP)).isEqualTo(green);
    }
}
