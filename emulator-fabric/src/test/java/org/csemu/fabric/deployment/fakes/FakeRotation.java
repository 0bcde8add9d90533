package org.csemu.fabric.deployment.fakes;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.RotationPublisher;

/** Records the rotation the controller publishes. */
public final class FakeRotation implements RotationPublisher {
    private final Timeline timeline;
    private final Set<InstanceRef> inRotation = ConcurrentHashMap.newKeySet();

    public FakeRotation(Timeline timeline) {
        this.timeline = timeline;
    }

    @Override
    public void putInRotation(InstanceRef ref) {
        inRotation.add(ref);
        timeline.add("in " + ref.instanceId());
    }

    @Override
    public void takeOutOfRotation(InstanceRef ref) {
        inRotation.remove(ref);
        timeline.add("out " + ref.instanceId());
    }

    @Override
    public void drain(InstanceRef ref, Duration deadline) {
        timeline.add("drain " + ref.instanceId());
    }

    @Override
    public void remove(InstanceRef ref) {
        inRotation.remove(ref);
        timeline.add("remove " + ref.instanceId());
    }

    public boolean inRotation(String instanceId) {
        return inRotation.stream().anyMatch(r -> r.instanceId().equals(instanceId));
    }

    public Set<InstanceRef> members() {
        return Set.copyOf(inRotation);
    }
}
