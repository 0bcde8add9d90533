package org.csemu.fabric.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.csemu.fabric.deployment.fakes.Fixtures;
import org.csemu.fabric.deployment.fakes.Harness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operation is reported done only once its whole effect is visible: replays the failure a fresh-clone run of
 * CliLifecycleVmTest found, where {@code csemu remove} returned (DeleteDeployment Succeeded) while the deployment was
 * still listed, because forgetting it ran after the last instance's unit had reported. The units run on a real
 * thread pool here, as in the daemon; the caller-runs executor of the other fake tests cannot show the race.
 */
class OperationCompletionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int ROUNDS = 10;

    @TempDir
    Path dir;
    private ExecutorService pool;
    private Harness h;

    @BeforeEach
    void open() {
        pool = Executors.newCachedThreadPool();
        h = Harness.open(dir, Harness.POLICY, pool);
    }

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDeleteReportedSucceededHasAlreadyForgottenTheDeployment() throws InterruptedException {
        // each round is one chance for the old order (report, then forget) to show: it failed in round 1 of these
        for (int round = 0; round < ROUNDS; round++) {
            String name = "dep" + round;
            h.controller.createDeployment(name, Slot.PRODUCTION, Fixtures.definition(false),
                    Fixtures.configuration(2, 1, 0));
            h.pumpUntil(() -> h.deployment(name).status().equals("Running"), WAIT);
            String id = h.deployment(name).id();

            OperationRecord delete = h.controller.deleteDeployment(id);
            OperationRecord done = h.controller.await(delete.id(), WAIT);

            assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
            assertThat(h.controller.deployments()).as("round %d: the deployments right after DeleteDeployment "
                    + "succeeded", round).noneMatch(d -> d.id().equals(id));
        }
    }
}
