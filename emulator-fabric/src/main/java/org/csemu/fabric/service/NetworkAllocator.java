package org.csemu.fabric.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.InstanceInputEndpoint;
import org.csemu.core.model.InternalEndpoint;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.roleenv.EndpointPorts;
import org.csemu.fabric.persist.Json;
import org.csemu.fabric.util.AtomicFiles;

/**
 * Allocates the loopback addresses and ports of every instance of a data directory (ARCHITECTURE "Addresses"): each
 * instance its own {@code 127.B.x.y} (unique in the data directory; {@code B} is 255 for root's system daemon and a
 * block derived from the uid for a user's daemon, so that two users' daemons allocating at the same moment do not pick
 * the same address and port before either QEMU has bound it), each of its endpoints a port on that address
 * (the endpoint's local port where it is 1024 or more and free, else {@code port + 8000}, else a free one), each
 * internal endpoint a port on {@code 127.0.0.1} for peers, and the VIP ports the listeners actually bound. Everything
 * is written atomically to {@code network.json} before it is used, so recovery restores the same addresses.
 */
public final class NetworkAllocator {
    /** The first fabric-assigned guest port for {@code localPort="*"}. */
    public static final int FIRST_ASSIGNED_GUEST_PORT = 20000;
    private static final String PEER_ADDRESS = "127.0.0.1";
    /** Port blocks (FixedPortRange forwards) are searched from here up to the kernel's ephemeral range. */
    static final int BLOCK_SEARCH_FROM = 10000;
    private static final int DEFAULT_EPHEMERAL_FROM = 32768;

    /** The second octet of root's instance addresses. */
    public static final int SYSTEM_BLOCK = 255;

    private final Path file;
    private final int block;
    private State state;

    /** The persisted form. {@code instances} keys are {@code <deploymentId>/<instanceId>}. */
    public record State(Map<String, InstanceNetwork> instances, Map<String, Map<String, Integer>> vipPorts) {
        public State {
            instances = new TreeMap<>(instances == null ? Map.of() : instances);
            vipPorts = new TreeMap<>(vipPorts == null ? Map.of() : vipPorts);
        }
    }

    public NetworkAllocator(Path dataDir) {
        this(dataDir, SYSTEM_BLOCK);
    }

    /** Allocates instance addresses in {@code 127.<block>.0.0/16}. */
    public NetworkAllocator(Path dataDir, int block) {
        if (block < 1 || block > 255) {
            throw new IllegalArgumentException("instance address block must be in 1..255, not " + block);
        }
        this.block = block;
        this.file = dataDir.resolve("network.json");
        try {
            state = Files.isRegularFile(file) ? Json.mapper().readValue(file.toFile(), State.class)
                    : new State(Map.of(), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized Optional<InstanceNetwork> instance(String deploymentId, String instanceId) {
        return Optional.ofNullable(state.instances().get(key(deploymentId, instanceId)));
    }

    /**
     * The instance's allocation, made (and persisted) now if it has none.
     *
     * @param probePorts the role's probe forwards ({@link ProbeForwards#of}): forward name → guest port; they are
     *                   allocated first, on their fixed host port ({@link ProbeForwards#hostPort}), because the LB
     *                   probes that one port on every instance's address
     */
    public synchronized InstanceNetwork ensure(String deploymentId, String instanceId, RoleDefinition role,
                                               Map<String, Integer> probePorts) {
        return ensure(deploymentId, instanceId, role, probePorts, Set.of());
    }

    /**
     * As {@link #ensure(String, String, RoleDefinition, Map)}, with peer ports kept off {@code reservedGuestPorts}:
     * the guests listen on peer port numbers too (traffic gates and proxies), so none may be a port role code of
     * the service listens on.
     */
    public synchronized InstanceNetwork ensure(String deploymentId, String instanceId, RoleDefinition role,
                                               Map<String, Integer> probePorts, Set<Integer> reservedGuestPorts) {
        InstanceNetwork existing = state.instances().get(key(deploymentId, instanceId));
        if (existing != null) {
            return existing;
        }
        String address = nextAddress();
        Map<String, Integer> local = new LinkedHashMap<>();
        Map<String, Integer> host = new LinkedHashMap<>();
        Map<String, Integer> peer = new LinkedHashMap<>();
        Set<Integer> guestPortsTaken = new HashSet<>();
        role.endpoints().input().forEach(e -> {
            if (e.localPort() != InputEndpoint.AUTO_PORT) {
                guestPortsTaken.add(e.localPort());
            }
        });
        role.endpoints().internal().forEach(e -> {
            if (e.port() != InputEndpoint.AUTO_PORT) {
                guestPortsTaken.add(e.port());
            }
            guestPortsTaken.addAll(InternalPorts.fixedGuestPorts(e));
        });
        role.endpoints().instanceInput().forEach(e -> guestPortsTaken.add(e.localPort()));
        Set<Integer> hostTaken = new HashSet<>();
        probePorts.forEach((name, guest) -> {
            int hostPort = ProbeForwards.hostPort(guest);
            if (hostTaken.contains(hostPort) || !bindable(address, hostPort)) {
                throw new IllegalStateException("port " + hostPort + " of " + address + " for the load-balancer "
                        + "probe " + name.substring(ProbeForwards.PREFIX.length()) + " of " + instanceId
                        + " is in use: stop whatever listens there, or give the probe another port");
            }
            hostTaken.add(hostPort);
            local.put(name, guest);
            host.put(name, hostPort);
        });
        for (InputEndpoint e : role.endpoints().input()) {
            int guest = e.localPort() != InputEndpoint.AUTO_PORT ? e.localPort() : assignGuestPort(guestPortsTaken);
            local.put(e.name(), guest);
            host.put(e.name(), hostPort(address, guest, hostTaken));
        }
        for (InternalEndpoint e : role.endpoints().internal()) {
            List<Integer> guests = InternalPorts.fixedGuestPorts(e);
            if (guests.isEmpty()) {
                guests = List.of(e.port() != InputEndpoint.AUTO_PORT ? e.port() : assignGuestPort(guestPortsTaken));
            }
            // contiguous blocks: port k of the endpoint is at the first host / peer port + k
            int firstHost = freeBlock(address, guests.get(0) >= 1024 ? guests.get(0) : guests.get(0) + 8000,
                    guests.size(), hostTaken);
            Set<Integer> peersTaken = usedPeerPorts();
            peersTaken.addAll(peer.values());
            peersTaken.addAll(reservedGuestPorts);
            int firstPeer = freeBlock(PEER_ADDRESS, 0, guests.size(), peersTaken);
            List<String> names = InternalPorts.forwardNames(e);
            for (int k = 0; k < guests.size(); k++) {
                local.put(names.get(k), guests.get(k));
                host.put(names.get(k), firstHost + k);
                hostTaken.add(firstHost + k);
                peer.put(names.get(k), firstPeer + k);
            }
        }
        for (InstanceInputEndpoint e : role.endpoints().instanceInput()) {
            local.put(e.name(), e.localPort());
            host.put(e.name(), hostPort(address, e.localPort(), hostTaken));
        }
        InstanceNetwork n = new InstanceNetwork(address, host, local, peer, Map.of());
        state.instances().put(key(deploymentId, instanceId), n);
        save();
        return n;
    }

    public synchronized void recordPublicPort(String deploymentId, String instanceId, String endpoint, int port) {
        String k = key(deploymentId, instanceId);
        InstanceNetwork n = state.instances().get(k);
        if (n != null && !Integer.valueOf(port).equals(n.publicPorts().get(endpoint))) {
            state.instances().put(k, n.withPublicPort(endpoint, port));
            save();
        }
    }

    public synchronized void release(String deploymentId, String instanceId) {
        if (state.instances().remove(key(deploymentId, instanceId)) != null) {
            save();
        }
    }

    /** The VIP port a listener of the deployment bound last time (so a restart binds the same one). */
    public synchronized OptionalInt vipPort(String deploymentId, String listener) {
        Integer p = state.vipPorts().getOrDefault(deploymentId, Map.of()).get(listener);
        return p == null ? OptionalInt.empty() : OptionalInt.of(p);
    }

    public synchronized void recordVipPort(String deploymentId, String listener, int port) {
        Map<String, Integer> m = new TreeMap<>(state.vipPorts().getOrDefault(deploymentId, Map.of()));
        if (!Integer.valueOf(port).equals(m.put(listener, port))) {
            state.vipPorts().put(deploymentId, m);
            save();
        }
    }

    /** Forget everything of a deleted deployment. */
    public synchronized void releaseDeployment(String deploymentId) {
        state.vipPorts().remove(deploymentId);
        state.instances().keySet().removeIf(k -> k.startsWith(deploymentId + "/"));
        save();
    }

    /** The role environment's view of a deployment's assignments ({@code EndpointPorts.peerPort} = 127.0.0.1 port). */
    public EndpointPorts endpointPorts(String deploymentId) {
        return new EndpointPorts() {
            @Override
            public OptionalInt assignedLocalPort(String instanceId, String endpointName) {
                return instance(deploymentId, instanceId).map(n -> n.localPorts().get(endpointName))
                        .map(OptionalInt::of).orElse(OptionalInt.empty());
            }

            @Override
            public OptionalInt peerPort(String instanceId, String endpointName) {
                return instance(deploymentId, instanceId).map(n -> n.peerPorts().get(endpointName))
                        .map(OptionalInt::of).orElse(OptionalInt.empty());
            }
        };
    }

    // ---- allocation

    /**
     * The address block of a daemon run by {@code uid}: 255 for root, else {@code 1 + uid mod 254} (never 0, where the
     * VIP and the peer forwards live). Two users whose uids share a block still get distinct ports, as any two
     * daemons do: a port is taken only when it is free.
     */
    public static int blockOf(long uid) {
        return uid <= 0 ? SYSTEM_BLOCK : 1 + (int) (uid % 254);
    }

    private String nextAddress() {
        Set<String> used = new HashSet<>();
        state.instances().values().forEach(n -> used.add(n.address()));
        for (int k = 2; k < 65_280; k++) {
            if ((k & 0xff) == 0 || (k & 0xff) == 0xff) {
                continue;
            }
            String candidate = "127." + block + "." + (k >> 8) + "." + (k & 0xff);
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free instance address left in 127." + block + ".0.0/16");
    }

    private static int assignGuestPort(Set<Integer> taken) {
        int p = FIRST_ASSIGNED_GUEST_PORT;
        while (taken.contains(p)) {
            p++;
        }
        taken.add(p);
        return p;
    }

    private static int hostPort(String address, int guestPort, Set<Integer> taken) {
        int preferred = guestPort >= 1024 ? guestPort : guestPort + 8000;
        int port = freePort(address, preferred, taken);
        taken.add(port);
        return port;
    }

    private Set<Integer> usedPeerPorts() {
        Set<Integer> used = new HashSet<>();
        state.instances().values().forEach(n -> used.addAll(n.peerPorts().values()));
        return used;
    }

    /** {@code preferred} when it is free on the address and not taken; else a port the kernel says is free. */
    static int freePort(String address, int preferred, Set<Integer> taken) {
        if (preferred > 0 && preferred < 65536 && !taken.contains(preferred) && bindable(address, preferred)) {
            return preferred;
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
                int p = s.getLocalPort();
                if (!taken.contains(p)) {
                    return p;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port on " + address + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("no free port on " + address);
    }

    /**
     * The first of {@code count} consecutive ports free on the address and not taken: from {@code preferred} when
     * that block is free, else the first free block sliding up from a random port below the kernel's ephemeral
     * range (a block of one is {@link #freePort}). Not inside that range: every loopback client connection leaves
     * its ephemeral port in TIME_WAIT for a minute, which no listener without the same SO_REUSEADDR can bind, so
     * after a burst of connections (the lb suite just before; any busy host) whole stretches of it are unusable and
     * no block was found there (fresh-clone CI runs D and E, {@code DeploymentResourcesTest}).
     */
    static int freeBlock(String address, int preferred, int count, Set<Integer> taken) {
        if (count == 1) {
            return freePort(address, preferred, taken);
        }
        if (preferred > 0 && blockFree(address, preferred, count, taken)) {
            return preferred;
        }
        int low = BLOCK_SEARCH_FROM;
        int high = ephemeralPortsFrom() - count;
        int span = high - low;
        int start = low + java.util.concurrent.ThreadLocalRandom.current().nextInt(span);
        for (int step = 0; step < span; step++) {
            int first = low + Math.floorMod(start - low + step, span);
            if (blockFree(address, first, count, taken)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports between " + low + " and " + high
                + " on " + address + " for an internal endpoint's port range: free some ports or narrow the"
                + " FixedPortRange");
    }

    /** Where the kernel's ephemeral (client) ports start: {@code ip_local_port_range}, else Linux's default. */
    static int ephemeralPortsFrom() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            int from = Integer.parseInt(range[0]);
            return from > BLOCK_SEARCH_FROM + 1024 ? from : DEFAULT_EPHEMERAL_FROM;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_FROM;
        }
    }

    private static boolean blockFree(String address, int first, int count, Set<Integer> taken) {
        if (first + count - 1 > 65535) {
            return false;
        }
        for (int p = first; p < first + count; p++) {
            if (taken.contains(p) || !bindable(address, p)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether QEMU could listen on the port: probed with SO_REUSEADDR on, as slirp's host forwards (and the JDK's
     * server sockets) bind, so a port is refused for what would refuse QEMU (a listener; TIME_WAIT sockets of
     * connections that lacked SO_REUSEADDR) and not for more.
     */
    private static boolean bindable(String address, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void save() {
        try {
            AtomicFiles.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String key(String deploymentId, String instanceId) {
        return deploymentId + "/" + instanceId;
    }
}
