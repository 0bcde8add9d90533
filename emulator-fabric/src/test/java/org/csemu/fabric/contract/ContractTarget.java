package org.csemu.fabric.contract;

import java.time.Duration;
import java.util.List;
import org.csemu.fabric.deployment.FabricController;
import org.csemu.fabric.spi.InstanceRef;

/**
 * One runtime under the lifecycle contract: a controller on it, the contract's probe service deployed, and the
 * evidence of each instance read from the guest (its boot counters) and from the host (its files, its domain), never
 * from the controller's own state.
 */
public interface ContractTarget {

    /** Names of the probe service's roles and of its two local resources. */
    String WEB = "Web";
    String WORKER = "Worker";
    String VM = "Appliance";
    String CLEAN = "Clean";
    String KEEP = "Keep";

    FabricController controller();

    /** Create the probe deployment (one instance per role); returns its id once the create was accepted. */
    String deploy() throws Exception;

    /** Delete the deployment as a user would (the real target also removes its VIP listeners). */
    String delete(String deploymentId) throws Exception;

    /** Scale a role as a user would; returns the operation id. */
    String scale(String deploymentId, String role, int count) throws Exception;

    /** Let queued guest and substrate events happen (the fake delivers them; real guests need nothing). */
    void pump();

    /** How long a step may take on this runtime. */
    Duration budget();

    /** What the guest and the host show of one instance now (null fields: the guest could not be read). */
    Evidence observe(InstanceRef ref) throws Exception;

    /** Start recording rotation changes afresh. */
    void markRotation();

    /** The instance's rotation changes since {@link #markRotation()}: {@code out}, {@code in}, {@code removed}. */
    List<String> rotation(InstanceRef ref);

    /**
     * The evidence of one instance.
     *
     * @param osBoots    the guest's boot counter on its OS disk (null: not readable)
     * @param localBoots the guest's boot counters in the local resources {@link #CLEAN} and {@link #KEEP}
     * @param overlay    the identity of the OS disk file on the host (null: no file)
     * @param localDisk  the identity of the local-storage disk file
     * @param drive      the identity of the config drive file (a write replaces it)
     * @param domain     the substrate has a domain for it (libvirt's domain list, the fake's map)
     */
    record Evidence(Integer osBoots, Integer cleanBoots, Integer keepBoots, Object overlay, Object localDisk,
                    Object drive, boolean domain) {
        public boolean gone() {
            return !domain && overlay == null && localDisk == null && drive == null;
        }
    }
}
