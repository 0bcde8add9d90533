package org.csemu.fabric.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.deployment.fakes.Fixtures;
import org.csemu.fabric.deployment.fakes.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operations over many instances run in parallel, but never more than N runtime calls at once. */
class ConcurrencyTest {
    private static final int N = 3;
    private static final int INSTANCES = 10;

    @TempDir
    Path dir;

    @Test
    void neverMoreThanNRuntimeCallsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
        try {
            Harness h = Harness.open(dir, Harness.POLICY.withConcurrency(N), pool);
            CountDownLatch release = new CountDownLatch(1);
            h.runtime.onEveryCall(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            OperationRecord op = h.controller.createDeployment("big", Slot.PRODUCTION, Fixtures.definition(false),
                    Fixtures.configuration(INSTANCES, 0, 0)).operation();
            // N calls get in and block; all others wait for a permit
            awaitTrue(() -> h.runtime.concurrentCalls() == N);
            OperationRecord mid = h.controller.operation(op.id()).orElseThrow();
            assertThat(mid.status()).isEqualTo(OperationRecord.Status.IN_PROGRESS);
            assertThat(mid.completed()).isZero();
            assertThat(mid.total()).isEqualTo(INSTANCES);
            release.countDown();

            OperationRecord done = h.controller.await(op.id(), Duration.ofSeconds(20));
            assertThat(done.status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
            assertThat(done.completed()).isEqualTo(INSTANCES);
            assertThat(h.runtime.maxConcurrentCalls()).isEqualTo(N);
            h.runtime.settle();
            assertThat(h.deployment("big").instances()).extracting(InstanceSnapshot::state)
                    .containsOnly(InstanceState.READY_ROLE).hasSize(INSTANCES);

            // a role-wide reboot: shutdown and boot calls, still at most N at once
            h.runtime.resetConcurrency();
            OperationRecord reboot = h.controller.performOnRole(h.deployment("big").id(), Fixtures.WEB,
                    InstanceOperation.REBOOT);
            assertThat(h.controller.await(reboot.id(), Duration.ofSeconds(20)).status())
                    .isEqualTo(OperationRecord.Status.SUCCEEDED);
            assertThat(h.runtime.maxConcurrentCalls()).isBetween(1, N);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }
}
