package org.csemu.fabric.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.csemu.fabric.deployment.fakes.Fixtures.WEB;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.csemu.fabric.deployment.fakes.Fixtures;
import org.csemu.fabric.deployment.fakes.Harness;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.recovery.Recovery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Package upgrades, Manual and Simultaneous modes, Walk Upgrade Domain and rollback on the fake substrate: each
 * instance is recycled on its own overlay when its domain's turn comes and moves to the new service revision then,
 * a Manual rollout walks only the domains it is told to, a rollback returns the instances reached to the old
 * revision and leaves the others untouched, and a daemon restart resumes all of it with the same operations.
 */
class RolloutTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String IN0 = "WebRole1_IN_0";
    private static final String IN1 = "WebRole1_IN_1";
    private static final String IN2 = "WebRole1_IN_2";

    @TempDir
    Path dir;
    private ExecutorService pool;
    private Harness h;
    private String dep;

    @BeforeEach
    void deploy() {
        pool = Executors.newCachedThreadPool();
        h = Harness.open(dir, Harness.POLICY, pool);
        h.controller.createDeployment("dep1", Slot.PRODUCTION, Fixtures.definition(false), Fixtures.configuration(3, 1, 0));
        dep = h.deployment("dep1").id();
        h.pumpUntil(() -> h.deployment("dep1").status().equals("Running"), WAIT);
        h.timeline.clear();
    }

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anUpgradeRecyclesEachInstanceOnItsOverlayUpgradeDomainByUpgradeDomainAndMovesItToTheNewRevision() {
        int overlay = h.runtime.domain(IN1).overlayId;
        OperationRecord done = finish(upgrade(UpgradeMode.AUTO));

        assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(done.kind()).isEqualTo("UpgradeDeployment");
        assertThat(h.timeline.matching("boot ")).containsExactly(
                "boot " + IN0 + " overlay=KEEP local=KEEP wipe=[cache] config=KEEP",
                "boot " + IN1 + " overlay=KEEP local=KEEP wipe=[cache] config=KEEP",
                "boot " + IN2 + " overlay=KEEP local=KEEP wipe=[cache] config=KEEP");
        // each instance leaves rotation, then serves again, before the next domain starts
        List<String> rotation = h.timeline.entries().stream().filter(e -> e.startsWith("in ") || e.startsWith("out "))
                .toList();
        assertThat(rotation).containsExactly("out " + IN0, "in " + IN0, "out " + IN1, "in " + IN1, "out " + IN2,
                "in " + IN2);
        assertThat(h.runtime.domain(IN1).overlayId).as("the OS disk is kept").isEqualTo(overlay);
        assertThat(domainEvents(done.id())).containsExactly("UD0:During", "UD0:Done", "UD1:During", "UD1:Done",
                "UD2:During", "UD2:Done");
        DeploymentRecord d = h.controller.model().requireDeployment(dep);
        assertThat(d.serviceRevision()).isEqualTo(1);
        assertThat(d.instances()).filteredOn(i -> i.role().equals(WEB)).extracting(InstanceRecord::serviceRevision)
                .containsOnly(1);
        assertThat(d.instances()).filteredOn(i -> !i.role().equals(WEB)).extracting(InstanceRecord::serviceRevision)
                .as("a role the rollout does not change moves at once, untouched").containsOnly(1);
        assertThat(h.timeline.matching("boot WorkerRole1")).isEmpty();
        h.pumpUntil(() -> h.controller.configurationChangeOperations().isEmpty(), WAIT);
        assertThat(h.controller.revisionsInUse(dep)).as("the old revision is no longer needed").containsExactly(1);
        assertThat(h.controller.upgradeStatus(dep)).isEmpty();
    }

    @Test
    void aManualUpgradeWalksOnlyTheDomainsItIsToldToInOrder() {
        OperationRecord op = upgrade(UpgradeMode.MANUAL);
        UpgradeStatus waiting = h.controller.upgradeStatus(dep).orElseThrow();
        assertThat(waiting.mode()).isEqualTo(UpgradeMode.MANUAL);
        assertThat(waiting.currentDomain()).isZero();
        assertThat(waiting.currentDomainState()).isEqualTo("Before");
        assertThat(waiting.domains()).extracting(UpgradeStatus.Domain::state).containsExactly("current", "pending",
                "pending");
        assertThatThrownBy(() -> h.controller.walkUpgradeDomain(dep, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the next domain to walk is 0");
        assertThat(h.timeline.matching("boot ")).isEmpty();

        h.controller.walkUpgradeDomain(dep, 0);
        h.pumpUntil(() -> h.controller.upgradeStatus(dep).map(s -> s.currentDomain() == 1).orElse(false), WAIT);
        assertThat(h.timeline.matching("boot ")).containsExactly(
                "boot " + IN0 + " overlay=KEEP local=KEEP wipe=[cache] config=KEEP");
        UpgradeStatus afterFirst = h.controller.upgradeStatus(dep).orElseThrow();
        assertThat(afterFirst.currentDomainState()).isEqualTo("Before");
        assertThat(afterFirst.domains()).extracting(UpgradeStatus.Domain::state).containsExactly("done", "current",
                "pending");
        assertThat(revision(IN0)).isEqualTo(1);
        assertThat(revision(IN1)).as("not walked: still the old package").isZero();
        assertThatThrownBy(() -> h.controller.walkUpgradeDomain(dep, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("walked already");
        assertThatThrownBy(() -> h.controller.rollout("ChangeConfiguration", dep, List.of(
                new RoleConfigurationDelta(WEB, List.of("Greeting"), false, false, null)), UpgradeMode.AUTO, 2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("in progress")
                .hasMessageContaining("csemu walk");

        h.controller.walkUpgradeDomain(dep, 1);
        h.pumpUntil(() -> h.controller.upgradeStatus(dep).map(s -> s.currentDomain() == 2).orElse(false), WAIT);
        h.controller.walkUpgradeDomain(dep, 2);
        OperationRecord done = finish(op);
        assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(h.timeline.matching("boot ")).hasSize(3);
    }

    @Test
    void aRollbackAfterTheFirstDomainReturnsOnlyTheInstancesItReachedToTheOldRevision() {
        OperationRecord upgrade = upgrade(UpgradeMode.MANUAL);
        h.controller.walkUpgradeDomain(dep, 0);
        h.pumpUntil(() -> h.controller.upgradeStatus(dep).map(s -> s.currentDomain() == 1).orElse(false), WAIT);

        OperationRecord rollback = h.controller.rollback(dep, List.of(RoleConfigurationDelta.newPackage(WEB)),
                UpgradeMode.AUTO);
        OperationRecord rolledBack = finish(rollback);

        assertThat(rolledBack.status()).as(rolledBack.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(rolledBack.kind()).isEqualTo("RollbackUpdateOrUpgrade");
        assertThat(rolledBack.total()).as("only the instance the upgrade reached").isEqualTo(1);
        OperationRecord stopped = finish(upgrade);
        assertThat(stopped.status()).isEqualTo(OperationRecord.Status.FAILED);
        assertThat(stopped.errors()).anySatisfy(e -> assertThat(e).contains("rolled back by operation " + rollback.id())
                .contains(IN1).contains(IN2));
        // IN_0 was recycled twice (upgrade, rollback); the others never
        assertThat(h.timeline.matching("boot ")).containsExactly(
                "boot " + IN0 + " overlay=KEEP local=KEEP wipe=[cache] config=KEEP",
                "boot " + IN0 + " overlay=KEEP local=KEEP wipe=[cache] config=KEEP");
        assertThat(h.controller.model().requireDeployment(dep).serviceRevision()).isZero();
        assertThat(List.of(revision(IN0), revision(IN1), revision(IN2))).containsOnly(0);
        h.pumpUntil(() -> h.controller.configurationChangeOperations().isEmpty(), WAIT); // the walk forgets it last
        assertThat(h.controller.revisionsInUse(dep)).containsExactly(0);
        assertThatThrownBy(() -> h.controller.rollback(dep, List.of(RoleConfigurationDelta.newPackage(WEB)),
                UpgradeMode.AUTO)).isInstanceOf(IllegalStateException.class).hasMessageContaining("nothing to roll back");
    }

    @Test
    void aRolledBackConfigurationChangeOffersTheOldSettingsToTheInstancesItReachedOnly() {
        OperationRecord change = h.controller.rollout("ChangeConfiguration", dep, List.of(
                new RoleConfigurationDelta(WEB, List.of("Greeting"), false, false, null)), UpgradeMode.MANUAL, 1);
        h.controller.walkUpgradeDomain(dep, 0);
        h.pumpUntil(() -> h.controller.upgradeStatus(dep).map(s -> s.currentDomain() == 1).orElse(false), WAIT);

        OperationRecord back = finish(h.controller.rollback(dep, List.of(
                new RoleConfigurationDelta(WEB, List.of("Greeting"), false, false, null)), UpgradeMode.AUTO));

        assertThat(back.status()).as(back.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(finish(change).status()).isEqualTo(OperationRecord.Status.FAILED);
        // the change reached IN_0 only, and the rollback offers IN_0 the old value in place: no restart anywhere
        assertThat(h.timeline.matching("change ")).containsExactly(
                "change " + IN0 + " [setting:Greeting] -> APPLIED",
                "change " + IN0 + " [setting:Greeting] -> APPLIED");
        assertThat(h.timeline.matching("boot ")).isEmpty();
        assertThat(List.of(revision(IN0), revision(IN1), revision(IN2))).containsOnly(0);
    }

    @Test
    void aSimultaneousUpgradeTakesEveryInstanceAtOnce() {
        OperationRecord done = finish(upgrade(UpgradeMode.SIMULTANEOUS));

        assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(domainEvents(done.id())).containsExactly("UD0:During", "UD0:Done");
        assertThat(h.controller.events(dep)).filteredOn(e -> done.id().equals(e.operationId()) && e.instanceId() == null)
                .extracting(LifecycleEvent::cause).first().asString().contains("all instances at once");
        // all three left rotation before the first came back
        List<String> rotation = h.timeline.entries().stream().filter(e -> e.startsWith("in ") || e.startsWith("out "))
                .toList();
        assertThat(rotation.subList(0, 3)).allMatch(e -> e.startsWith("out "));
    }

    @Test
    void aManualUpgradeCutByADaemonRestartWaitsForItsNextWalkWithTheSameOperation() {
        OperationRecord op = upgrade(UpgradeMode.MANUAL);
        h.controller.walkUpgradeDomain(dep, 0);
        h.pumpUntil(() -> h.controller.upgradeStatus(dep).map(s -> s.currentDomain() == 1).orElse(false), WAIT);

        h = h.restart(pool);
        new Recovery(h.controller, h.runtime).run();
        UpgradeStatus resumed = h.controller.upgradeStatus(dep).orElseThrow();
        assertThat(resumed.operationId()).isEqualTo(op.id());
        assertThat(resumed.currentDomain()).isEqualTo(1);
        assertThat(resumed.currentDomainState()).isEqualTo("Before");
        h.controller.walkUpgradeDomain(dep, 1);
        h.pumpUntil(() -> h.controller.upgradeStatus(dep).map(s -> s.currentDomain() == 2).orElse(false), WAIT);
        h.controller.walkUpgradeDomain(dep, 2);
        OperationRecord done = finish(op);

        assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(h.timeline.matching("boot " + IN0)).as("domain 0 is not walked again").hasSize(1);
        assertThat(List.of(revision(IN0), revision(IN1), revision(IN2))).containsOnly(1);
    }

    private OperationRecord upgrade(UpgradeMode mode) {
        return h.controller.rollout("UpgradeDeployment", dep, List.of(RoleConfigurationDelta.newPackage(WEB)), mode, 1);
    }

    private int revision(String instance) {
        return h.controller.model().requireDeployment(dep).instance(instance).orElseThrow().serviceRevision();
    }

    private List<String> domainEvents(String operationId) {
        return h.controller.events(dep).stream().filter(e -> e.instanceId() == null
                && Objects.equals(e.operationId(), operationId) && e.to().startsWith("UD")
                && !e.from().equals(e.to())).map(LifecycleEvent::to).toList();
    }

    private OperationRecord finish(OperationRecord op) {
        h.pumpUntil(() -> h.controller.operation(op.id()).orElseThrow().status()
                != OperationRecord.Status.IN_PROGRESS, WAIT);
        return h.controller.operation(op.id()).orElseThrow();
    }
}
