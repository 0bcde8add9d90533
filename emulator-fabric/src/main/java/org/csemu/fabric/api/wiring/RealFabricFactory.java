package org.csemu.fabric.api.wiring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.FabricConfig;
import org.csemu.fabric.api.FabricContext;
import org.csemu.fabric.api.FabricService;
import org.csemu.fabric.api.FabricServiceFactory;
import org.csemu.fabric.daemon.DaemonScope;
import org.csemu.fabric.vm.SessionLibvirt;

/**
 * The daemon's production fabric: a {@link Fabric} on the daemon's data directory (libvirt, the VIP load balancer,
 * recovery of what a previous daemon left running), served through {@link FabricServiceAdapter}.
 *
 * <p>The libvirt connection follows who runs the daemon ({@link DaemonScope}): root's drives {@code qemu:///system},
 * any other user's {@code qemu:///session}, whose daemon is started under a child subreaper first
 * ({@link SessionLibvirt}). Every scope registers the same shared, read-only base image.
 *
 * <p>System properties tune it without a configuration file: {@code csemu.fabric.baseImage} (a built base image
 * directory registered as the default image; default {@value #DEFAULT_BASE}), {@code csemu.fabric.libvirtUri}
 * (default: the scope's), {@code csemu.fabric.concurrency} (parallel boots, default 4).
 */
public final class RealFabricFactory implements FabricServiceFactory {
    static final String DEFAULT_BASE = "/var/lib/csemu/image-cache/csemu-base-latest";

    @Override
    public FabricService open(FabricContext context) throws Exception {
        FabricConfig config = FabricConfig.defaults(context.dataDirectory())
                .withBaseImageDir(Path.of(System.getProperty("csemu.fabric.baseImage", DEFAULT_BASE)));
        String uri = System.getProperty("csemu.fabric.libvirtUri", DaemonScope.current().libvirtUri());
        if (uri.startsWith(DaemonScope.SESSION_URI)) {
            SessionLibvirt.current().ensureRunning(context.dataDirectory().resolve("logs/libvirtd-session.log"),
                    Duration.ofSeconds(60));
        }
        config = config.withLibvirtUris(List.of(uri));
        String concurrency = System.getProperty("csemu.fabric.concurrency");
        if (concurrency != null && !concurrency.isBlank()) {
            config = config.withConcurrency(Integer.parseInt(concurrency.trim()));
        }
        // the daemon's VIP runs in its own process so it outlives a daemon restart; csemu.fabric.vipProcess=false
        // keeps it in the daemon's JVM
        config = config.withVipProcess(!"false".equals(System.getProperty("csemu.fabric.vipProcess")));
        return new FabricServiceAdapter(Fabric.start(config));
    }
}
