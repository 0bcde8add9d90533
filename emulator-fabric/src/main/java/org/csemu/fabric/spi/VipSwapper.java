package org.csemu.fabric.spi;

import java.util.List;
import java.util.Map;

/**
 * The VIP side of a swap, as the controller drives it. A slot's VIP is the set of ports its deployment's input
 * endpoint listeners are bound on; a swap puts each listener on the port of the other slot's listener of the same
 * role and endpoint (a deployment moving into an empty slot gets free ports). Listeners keep their backends, so
 * every new connection to a port reaches the deployment now on it, and connections in flight keep theirs.
 */
public interface VipSwapper {

    /**
     * The port every VIP listener of the two deployments must end on (listener name to port). Ports a moving
     * deployment gets are held from here until {@link #apply} takes them.
     *
     * @param productionId the deployment in the production slot, or null (the staging one moves to production)
     * @param stagingId    the deployment in the staging slot, or null (the production one moves to staging)
     * @throws IllegalArgumentException the deployments' input endpoints differ (role, name or protocol): the two VIPs
     *                                  could not be exchanged endpoint for endpoint
     */
    Map<String, Integer> plan(String productionId, String stagingId);

    /**
     * Put every listener on its port and record the ports. Idempotent: after a daemon restart it finishes what a cut
     * call left (a listener already on its port is left alone).
     *
     * @return one line per listener moved ({@code <listener>: <from> -> <to>})
     */
    List<String> apply(Map<String, Integer> ports);
}
