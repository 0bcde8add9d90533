package org.csemu.core.validate;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.NetworkConfiguration;

/**
 * The rules of an AccessControl are what the load balancer can enforce: {@code remoteSubnet} is an IPv4 CIDR block
 * without host bits (the schema only says "non-empty string", and the cloud's ACLs are IPv4), and each rule's
 * {@code order} is unique in its list (the order decides which rule matches first; two equal orders leave it undefined).
 * Caught here, with the file position, rather than when the deployment's listener is bound.
 */
final class AccessControlRuleFormatRule extends BaseRule {

    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,2}))?");

    AccessControlRuleFormatRule() {
        super("CSCFG110", Severity.ERROR, "ACL rules have an IPv4 CIDR remoteSubnet and unique orders");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        var network = context.config().networkConfiguration();
        if (network.isEmpty()) {
            return;
        }
        for (NetworkConfiguration.AccessControl acl : network.get().accessControls()) {
            Set<Integer> orders = new HashSet<>();
            for (NetworkConfiguration.AclRule rule : acl.rules()) {
                String at = "AccessControl '" + acl.name() + "': rule " + rule.order();
                String problem = cidrProblem(rule.remoteSubnet());
                if (problem != null) {
                    findings.report(rule.location(), at + " has remoteSubnet '" + rule.remoteSubnet() + "', " + problem,
                            "write an IPv4 CIDR block a.b.c.d/n with n in 0..32 and the host bits zero, e.g. "
                                    + "127.0.0.0/8, 10.1.2.0/24 or 203.0.113.7/32");
                }
                if (!orders.add(rule.order())) {
                    findings.report(rule.location(), at + ": another rule of the list has order " + rule.order()
                                    + ", so which one matches first is undefined",
                            "give each rule of AccessControl '" + acl.name() + "' its own order");
                }
            }
        }
    }

    /** Why {@code text} is not an IPv4 CIDR block, or null when it is one. */
    static String cidrProblem(String text) {
        Matcher m = CIDR.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            return "which is not an IPv4 CIDR block";
        }
        long address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                return "whose octet " + octet + " is above 255";
            }
            address = (address << 8) | octet;
        }
        int prefix = m.group(5) == null ? 32 : Integer.parseInt(m.group(5));
        if (prefix > 32) {
            return "whose prefix length /" + prefix + " is above 32";
        }
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        if ((address & ~mask & 0xFFFFFFFFL) != 0) {
            long network = address & mask;
            return "which has host bits set (the block is " + (network >>> 24) + "." + ((network >>> 16) & 0xff) + "."
                    + ((network >>> 8) & 0xff) + "." + (network & 0xff) + "/" + prefix + ")";
        }
        return null;
    }
}
