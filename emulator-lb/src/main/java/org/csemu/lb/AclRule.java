package org.csemu.lb;

import java.util.Objects;

/**
 * One rule of an {@link AccessControlList}: connections from {@code remoteSubnet} are permitted or denied. Rules are
 * tried in ascending {@code order} (the cscfg's {@code Rule@order}; lower is tried first).
 *
 * @param description free text from the configuration (may be empty), kept for status output
 */
public record AclRule(int order, Action action, Subnet remoteSubnet, String description) {

    /** The cscfg's {@code permit} / {@code deny}. */
    public enum Action {
        PERMIT, DENY
    }

    public AclRule {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(remoteSubnet, "remoteSubnet");
        description = description == null ? "" : description;
        if (order < 0 || order > 65535) {
            throw new IllegalArgumentException("ACL rule order " + order + " is outside 0..65535 (unsignedShort)");
        }
    }

    public static AclRule permit(int order, String cidr) {
        return new AclRule(order, Action.PERMIT, Subnet.parse(cidr), "");
    }

    public static AclRule deny(int order, String cidr) {
        return new AclRule(order, Action.DENY, Subnet.parse(cidr), "");
    }
}
