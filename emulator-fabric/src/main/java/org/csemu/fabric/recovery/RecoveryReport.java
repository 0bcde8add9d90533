package org.csemu.fabric.recovery;

import java.util.List;
import org.csemu.fabric.spi.InstanceRef;

/**
 * What recovery did on daemon start, instance by instance.
 *
 * @param adopted          running domains kept as they were (agent channel reconnected, no restart)
 * @param restarted        domains that existed but were not running, started on their overlay
 * @param recreated        instances whose domain and disks were gone, rebuilt on new hardware
 * @param stopped          instances desired stopped, settled as such
 * @param finished         interrupted operations completed (one line each: instance, what)
 * @param orphansDeleted   csemu domains or disks of this data directory that no desired instance references
 * @param foreignIgnored   csemu domains of another data directory: left alone
 * @param errors           steps that failed (the instance keeps its intent; the next recovery tries again)
 */
public record RecoveryReport(List<InstanceRef> adopted, List<InstanceRef> restarted, List<InstanceRef> recreated,
                             List<InstanceRef> stopped, List<String> finished, List<InstanceRef> orphansDeleted,
                             List<InstanceRef> foreignIgnored, List<String> errors) {
    public RecoveryReport {
        adopted = List.copyOf(adopted);
        restarted = List.copyOf(restarted);
        recreated = List.copyOf(recreated);
        stopped = List.copyOf(stopped);
        finished = List.copyOf(finished);
        orphansDeleted = List.copyOf(orphansDeleted);
        foreignIgnored = List.copyOf(foreignIgnored);
        errors = List.copyOf(errors);
    }
}
