package org.csemu.fabric.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.contract.ContractTarget;
import org.csemu.fabric.deployment.FabricController;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.disk.InstancePaths;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.runtime.RotationChange;
import org.csemu.fabric.service.InstanceNetwork;
import org.csemu.fabric.vm.CsemuDomain;
import org.csemu.fabric.vm.DomainNames;

/**
 * The contract on real VMs: the probe service on a real fabric; the guest's counters read over HTTP from the
 * instance itself (its own forwarded address, not the VIP, so two instances of a role are told apart), the disk
 * and config-drive files' identities read on the host, the domain from libvirt's list, the rotation from the VIP's
 * own change records and backends.
 */
final class VmContractTarget implements ContractTarget {
    private static final Pattern STATE = Pattern.compile("os=(\\d+) clean=(\\d+) keep=(\\d+)");

    private final Fabric fabric;
    private final Path service;
    private final List<RotationChange> changes = Collections.synchronizedList(new ArrayList<>());

    VmContractTarget(Fabric fabric, Path service) {
        this.fabric = fabric;
        this.service = service;
        fabric.subscribeRotation(changes::add);
    }

    @Override
    public FabricController controller() {
        return fabric.controller();
    }

    @Override
    public String deploy() throws Exception {
        return fabric.createDeployment("lifecycle-probe", Slot.PRODUCTION, service, null).deploymentId();
    }

    @Override
    public String delete(String deploymentId) {
        return fabric.deleteDeployment(deploymentId).id();
    }

    @Override
    public String scale(String deploymentId, String role, int count) {
        return fabric.scale(deploymentId, role, count).id();
    }

    @Override
    public void pump() {
        // real guests and libvirt report on their own
    }

    @Override
    public Duration budget() {
        return FabricChecks.BOOT;
    }

    @Override
    public Evidence observe(InstanceRef ref) throws Exception {
        InstancePaths paths = fabric.runtime().paths(ref);
        String domainName = DomainNames.of(ref.deploymentId(), ref.instanceId());
        boolean domain = fabric.hypervisor().listCsemuDomains().stream().map(CsemuDomain::name)
                .anyMatch(domainName::equals);
        Integer os = null;
        Integer clean = null;
        Integer keep = null;
        InstanceNetwork net = fabric.instanceNetwork(ref.deploymentId(), ref.instanceId()).orElse(null);
        if (net != null && net.hostPorts().containsKey("Http")) {
            try {
                Matcher m = STATE.matcher(FabricChecks.get(net.address(), net.hostPorts().get("Http"), "/state.txt"));
                if (m.find()) {
                    os = Integer.valueOf(m.group(1));
                    clean = Integer.valueOf(m.group(2));
                    keep = Integer.valueOf(m.group(3));
                }
            } catch (IOException e) {
                // not serving (yet): the guest's evidence is unreadable for now
            }
        }
        return new Evidence(os, clean, keep, fileKey(paths.osDisk()), fileKey(paths.localDisk()),
                fileKey(paths.configDrive()), domain);
    }

    @Override
    public void markRotation() {
        changes.clear();
    }

    @Override
    public List<String> rotation(InstanceRef ref) {
        List<String> out = new ArrayList<>();
        synchronized (changes) {
            for (RotationChange c : changes) {
                if (c.ref().equals(ref)) {
                    out.add(c.inRotation() ? "in" : "out");
                }
            }
        }
        boolean deleted = fabric.controller().state(ref.deploymentId(), ref.instanceId()).isEmpty();
        if (deleted && fabric.rotation().handles(ref).isEmpty()) {
            out.add("removed");
        }
        return out;
    }

    private static Object fileKey(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
