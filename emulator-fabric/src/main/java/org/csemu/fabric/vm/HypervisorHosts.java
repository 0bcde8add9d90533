package org.csemu.fabric.vm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hosts of a csemu installation, one {@link Hypervisor} per libvirt connection URI, and which one serves a
 * fault domain: fault domain {@code n} runs on host {@code n mod hosts}. With the default single URI
 * ({@code qemu:///system}) every fault domain is local; a list of {@code qemu+ssh://host/system} URIs spreads
 * instances across machines with the same driver code.
 */
public final class HypervisorHosts implements AutoCloseable {

    /** Opens a hypervisor for a URI (a seam for tests and for other drivers later). */
    @FunctionalInterface
    public interface Opener {
        Hypervisor open(String uri) throws HypervisorException;
    }

    private final List<Hypervisor> hosts;

    private HypervisorHosts(List<Hypervisor> hosts) {
        this.hosts = List.copyOf(hosts);
    }

    /** Opens every URI (in order) through libvirt; closes what was opened when one fails. */
    public static HypervisorHosts open(List<String> uris) throws HypervisorException {
        return open(uris, LibvirtHypervisor::new);
    }

    public static HypervisorHosts open(List<String> uris, Opener opener) throws HypervisorException {
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("at least one libvirt connection URI is needed");
        }
        if (uris.stream().distinct().count() != uris.size()) {
            throw new IllegalArgumentException("libvirt connection URIs must be distinct: " + uris);
        }
        List<Hypervisor> opened = new ArrayList<>();
        try {
            for (String uri : uris) {
                opened.add(opener.open(uri));
            }
        } catch (HypervisorException | RuntimeException e) {
            opened.forEach(Hypervisor::close);
            throw e;
        }
        return new HypervisorHosts(opened);
    }

    /** The host that runs instances of fault domain {@code faultDomain}. */
    public Hypervisor forFaultDomain(int faultDomain) {
        if (faultDomain < 0) {
            throw new IllegalArgumentException("fault domain must be >= 0, got " + faultDomain);
        }
        return hosts.get(faultDomain % hosts.size());
    }

    public List<Hypervisor> all() {
        return hosts;
    }

    /** Every csemu domain on every host, by URI (what a restarted daemon adopts). */
    public Map<String, List<CsemuDomain>> listCsemuDomains() throws HypervisorException {
        Map<String, List<CsemuDomain>> result = new LinkedHashMap<>();
        for (Hypervisor host : hosts) {
            result.put(host.uri(), host.listCsemuDomains());
        }
        return result;
    }

    @Override
    public void close() {
        hosts.forEach(Hypervisor::close);
    }
}
