package org.csemu.fabric.deployment;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.csemu.fabric.spi.ConfigurationChange;
import org.csemu.fabric.spi.ConfigurationChangeOutcome;
import org.csemu.fabric.spi.DiskPlan;
import org.csemu.fabric.spi.DomainInfo;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.InstanceRuntime;
import org.csemu.fabric.spi.InstanceSpec;
import org.csemu.fabric.spi.ShutdownMode;

/**
 * Lets at most N runtime calls (boots, shutdowns, deletes) run at once, however many instances an operation
 * touches: booting 50 guests at once on a 2-core host helps nobody.
 */
final class BoundedRuntime implements InstanceRuntime {
    private final InstanceRuntime delegate;
    private final Semaphore permits;

    BoundedRuntime(InstanceRuntime delegate, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        this.delegate = delegate;
        this.permits = new Semaphore(concurrency, true);
    }

    @Override
    public void boot(InstanceSpec spec, DiskPlan plan) {
        bounded(() -> {
            delegate.boot(spec, plan);
            return null;
        });
    }

    @Override
    public void shutdown(InstanceRef ref, ShutdownMode mode) {
        bounded(() -> {
            delegate.shutdown(ref, mode);
            return null;
        });
    }

    @Override
    public void delete(InstanceRef ref) {
        bounded(() -> {
            delegate.delete(ref);
            return null;
        });
    }

    @Override
    public ConfigurationChangeOutcome changeConfiguration(InstanceSpec spec, List<ConfigurationChange> changes) {
        return bounded(() -> delegate.changeConfiguration(spec, changes));
    }

    @Override
    public List<DomainInfo> list() {
        return delegate.list();
    }

    @Override
    public void reconnect(InstanceRef ref) {
        delegate.reconnect(ref);
    }

    private <T> T bounded(Supplier<T> call) {
        permits.acquireUninterruptibly();
        try {
            return call.get();
        } finally {
            permits.release();
        }
    }
}
