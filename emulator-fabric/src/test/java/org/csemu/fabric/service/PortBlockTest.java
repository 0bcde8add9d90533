package org.csemu.fabric.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contiguous port blocks a FixedPortRange internal endpoint is forwarded on: the preferred block when all of it
 * is free, else another block that is free as a whole (a peer finds port k at the first port + k).
 */
class PortBlockTest {

    private static final String ADDRESS = "127.0.0.1";

    @Test
    void thePreferredBlockWhenFreeElseAnotherBlockFreeAsAWhole() throws Exception {
        Set<Integer> taken = new HashSet<>();
        int base = NetworkAllocator.freeBlock(ADDRESS, 0, 3, taken);
        assertThat(NetworkAllocator.freeBlock(ADDRESS, base, 3, taken)).isEqualTo(base);
        try (ServerSocket middle = new ServerSocket()) {
            middle.bind(new InetSocketAddress(ADDRESS, base + 1));
            int moved = NetworkAllocator.freeBlock(ADDRESS, base, 3, taken);
            assertThat(moved).isNotEqualTo(base);
            assertThat(Set.of(moved, moved + 1, moved + 2)).doesNotContain(base + 1);
        }
        taken.add(base + 2);
        int avoided = NetworkAllocator.freeBlock(ADDRESS, base, 3, taken);
        assertThat(Set.of(avoided, avoided + 1, avoided + 2)).doesNotContain(base + 2);
    }

    /**
     * Replays fresh-clone CI runs D and E: right after the lb suite, whole stretches of the ephemeral range were in
     * TIME_WAIT (client ports, bound without SO_REUSEADDR), and sliding from a port the kernel offered found no
     * block. Blocks are now searched below that range, where no client port lands.
     */
    @Test
    void aBlockIsSearchedBelowTheEphemeralRangeWhereClientPortsLeaveTimeWait() {
        for (int i = 0; i < 20; i++) {
            int first = NetworkAllocator.freeBlock(ADDRESS, 0, 3, new HashSet<>());
            assertThat(first).isBetween(NetworkAllocator.BLOCK_SEARCH_FROM, NetworkAllocator.ephemeralPortsFrom() - 3);
        }
    }

    /**
     * QEMU binds its forwards with SO_REUSEADDR (slirp), so a port whose sockets are only in TIME_WAIT from
     * connections that also had it is free for QEMU, and the probe says so (it did not before, probing without). after the lb suite's loopback connections, ports whose only sockets are in
     * TIME_WAIT (closed first by our side) were taken for busy, and no block was found. QEMU binds such ports (with
     * SO_REUSEADDR), so the block is free.
     */
    @Test
    void aBlockWhosePortsAreOnlyInTimeWaitIsFree() throws Exception {
        Set<Integer> taken = new HashSet<>();
        int base = NetworkAllocator.freeBlock(ADDRESS, 0, 3, taken);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(ADDRESS, 0));
            for (int p = base; p < base + 3; p++) {
                Socket client = new Socket();
                client.setReuseAddress(true);
                client.bind(new InetSocketAddress(ADDRESS, p));
                client.connect(server.getLocalSocketAddress());
                try (Socket accepted = server.accept()) {
                    client.close(); // closed first: port p is left in TIME_WAIT
                    assertThat(accepted.getInputStream().read()).isEqualTo(-1);
                }
            }
            assertThat(NetworkAllocator.freeBlock(ADDRESS, base, 3, taken)).isEqualTo(base);
        }
    }
}
