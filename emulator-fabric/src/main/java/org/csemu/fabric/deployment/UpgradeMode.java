package org.csemu.fabric.deployment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a rollout (configuration change, package upgrade, rollback) goes over the upgrade domains, as the classic
 * Service Management API's {@code Mode} and {@code UpgradeType} name it.
 */
public enum UpgradeMode {
    /** The fabric walks every domain in order, the next one once the instances of the last are back. */
    AUTO("Auto"),
    /** The fabric walks a domain only when Walk Upgrade Domain is called for it, domain 0 first. */
    MANUAL("Manual"),
    /** Every instance at once: no upgrade domains, downtime expected. */
    SIMULTANEOUS("Simultaneous");

    private final String cloudName;

    UpgradeMode(String cloudName) {
        this.cloudName = cloudName;
    }

    @JsonValue
    public String cloudName() {
        return cloudName;
    }

    /** {@code auto}, {@code manual}, {@code simultaneous} in any case. */
    @JsonCreator
    public static UpgradeMode parse(String text) {
        for (UpgradeMode m : values()) {
            if (m.cloudName.equalsIgnoreCase(text) || m.name().equalsIgnoreCase(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown upgrade mode '" + text + "'; use auto, manual or simultaneous");
    }

    @Override
    public String toString() {
        return cloudName.toLowerCase(Locale.ROOT);
    }
}
