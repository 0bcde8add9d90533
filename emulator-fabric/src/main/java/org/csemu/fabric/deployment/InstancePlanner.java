package org.csemu.fabric.deployment;

import org.csemu.fabric.instance.InstancePlan;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.InstanceSpec;

/**
 * Turns the controller's view of one instance into the complete plan the runtime boots from (addresses, forwards,
 * config drive, image), from the deployment record the controller passes in: the boot path runs one way, controller
 * to planner to runtime, and nothing on it reads the model back.
 */
public interface InstancePlanner {

    /**
     * The plan of one instance as {@code deployment} stands now.
     *
     * @throws org.csemu.fabric.spi.RuntimeOperationException the instance cannot be planned (e.g. its image is gone)
     */
    InstancePlan plan(DeploymentRecord deployment, InstanceSpec spec);

    /** The instance was deleted: give back what planning reserved for it (its addresses). */
    void release(InstanceRef ref);
}
