package org.csemu.fabric.spi;

/** What became of a configuration change on one instance ({@link InstanceRuntime#changeConfiguration}). */
public enum ConfigurationChangeOutcome {
    /** The guest acknowledged Changing without cancelling, its copy of the configuration was refreshed, Changed ran. */
    APPLIED,
    /** No guest runs: the config drive was rewritten and the next boot reads it. */
    NOT_RUNNING,
    /**
     * The change needs a recycle: the role cancelled Changing, the agent could not be reached or did not answer in
     * time, or the new drive does not fit the attached one. Nothing was changed in the guest.
     */
    RECYCLE_REQUIRED
}
