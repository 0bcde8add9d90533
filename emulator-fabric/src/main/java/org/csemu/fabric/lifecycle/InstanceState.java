package org.csemu.fabric.lifecycle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * The 18 role-instance states with the names the cloud's Service Management API uses (Get Deployment
 * InstanceStatus), so the API and CLI show what a user of the cloud expects. Which state follows which is decided
 * only by {@link TransitionTable}.
 */
public enum InstanceState {
    ROLE_STATE_UNKNOWN("RoleStateUnknown", "state not known yet (after a daemon restart, until the substrate reports)"),
    CREATING_VM("CreatingVM", "disks and domain being created (new overlay), domain being started"),
    STARTING_VM("StartingVM", "domain running, waiting for the guest agent"),
    CREATING_ROLE("CreatingRole", "first boot of a fresh overlay: setup from the answer file, then one guest restart"),
    STARTING_ROLE("StartingRole", "startup tasks and auto-start services running"),
    READY_ROLE("ReadyRole", "started and ready: in load-balancer rotation"),
    BUSY_ROLE("BusyRole", "running but reports Busy: out of rotation"),
    STOPPING_ROLE("StoppingRole", "role being stopped for a reboot or recycle"),
    STOPPING_VM("StoppingVM", "domain being shut down (stop, suspend)"),
    DELETING_VM("DeletingVM", "domain and disks being deleted"),
    STOPPED_VM("StoppedVM", "domain shut off, disks kept"),
    RESTARTING_ROLE("RestartingRole", "stopped unexpectedly (crash, unresponsive): being restarted on the same overlay"),
    CYCLING_ROLE("CyclingRole", "keeps failing to start: being recycled after a back-off delay"),
    FAILED_STARTING_ROLE("FailedStartingRole", "a startup task failed: waiting for the back-off delay"),
    FAILED_STARTING_VM("FailedStartingVM", "the domain could not be started even on new hardware"),
    UNRESPONSIVE_ROLE("UnresponsiveRole", "the guest agent stopped heartbeating: recycled after the grace period"),
    STOPPED_DEALLOCATED("StoppedDeallocated", "deployment suspended: domain shut off, disks kept"),
    PREPARING("Preparing", "instance planned, nothing created yet");

    private final String cloudName;
    private final String meaning;

    InstanceState(String cloudName, String meaning) {
        this.cloudName = cloudName;
        this.meaning = meaning;
    }

    /** The cloud's name, e.g. {@code ReadyRole}: what the API, CLI, logs and persisted state show. */
    @JsonValue
    public String cloudName() {
        return cloudName;
    }

    public String meaning() {
        return meaning;
    }

    /** Only a Ready instance is eligible for load-balancer rotation. */
    public boolean inRotation() {
        return this == READY_ROLE;
    }

    @JsonCreator
    public static InstanceState fromCloudName(String name) {
        return Arrays.stream(values()).filter(s -> s.cloudName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown instance state '" + name + "'"));
    }

    @Override
    public String toString() {
        return cloudName;
    }
}
