package org.csemu.lb;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An IPv4 CIDR block, the {@code remoteSubnet} of an ACL rule. Matching is a mask compare on the 32-bit address, so
 * an ACL costs a few integer operations per new connection. The cloud's endpoint ACLs are IPv4 only; an IPv6 source
 * (other than an IPv4-mapped one) matches no subnet.
 *
 * @param network      the block's first address as a 32-bit int (host bits zero)
 * @param prefixLength 0..32
 */
public record Subnet(int network, int prefixLength) {

    public Subnet {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("subnet prefix length " + prefixLength + " is outside 0..32");
        }
        if ((network & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("subnet " + dotted(network) + "/" + prefixLength
                    + " has host bits set: use " + dotted(network & mask(prefixLength)) + "/" + prefixLength);
        }
    }

    /**
     * Parses {@code a.b.c.d/n} (or a bare address, a /32).
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Subnet parse(String cidr) {
        String text = cidr == null ? "" : cidr.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        int prefix;
        try {
            prefix = slash < 0 ? 32 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw bad(cidr);
        }
        String[] octets = address.split("\\.", -1);
        if (octets.length != 4 || prefix < 0 || prefix > 32) {
            throw bad(cidr);
        }
        int value = 0;
        for (String o : octets) {
            if (!o.matches("\\d{1,3}") || Integer.parseInt(o) > 255) {
                throw bad(cidr);
            }
            value = (value << 8) | Integer.parseInt(o);
        }
        return new Subnet(value, prefix);
    }

    /** True when {@code address} is an IPv4 (or IPv4-mapped IPv6) address inside this block. */
    public boolean contains(InetAddress address) {
        byte[] b = address.getAddress();
        int offset;
        if (address instanceof Inet4Address) {
            offset = 0;
        } else if (address instanceof Inet6Address && isMapped(b)) {
            offset = 12;
        } else {
            return false;
        }
        int v = ((b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8)
                | (b[offset + 3] & 0xff);
        return (v & mask(prefixLength)) == network;
    }

    @Override
    public String toString() {
        return dotted(network) + "/" + prefixLength;
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    private static String dotted(int v) {
        return (v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }

    private static IllegalArgumentException bad(String cidr) {
        return new IllegalArgumentException("remote subnet '" + cidr + "' is not an IPv4 CIDR block: write it as "
                + "a.b.c.d/n with n in 0..32, e.g. 127.0.0.0/8 or 10.1.2.0/24");
    }
}
