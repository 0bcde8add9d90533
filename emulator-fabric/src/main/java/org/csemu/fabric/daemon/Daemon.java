package org.csemu.fabric.daemon;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.csemu.fabric.api.FabricContext;
import org.csemu.fabric.api.FabricService;
import org.csemu.fabric.api.FabricServiceFactory;
import org.csemu.fabric.api.routes.ApiRoutes;
import org.csemu.fabric.api.server.ApiBinding;
import org.csemu.fabric.api.server.ApiServer;
import org.csemu.fabric.api.server.ApiServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running csemu daemon: holds the data directory's lock, serves the management API over the fabric, and
 * advertises itself in {@code daemon.json}. {@link #stop} undoes all of it in reverse order, once.
 */
public final class Daemon implements AutoCloseable {

    /** System property naming the {@link FabricServiceFactory} class, when the classpath has several. */
    public static final String FACTORY_PROPERTY = "csemu.fabric.factory";

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final DaemonOptions options;
    private final DaemonLock lock;
    private final FabricService fabric;
    private final ApiServer server;
    private final DaemonInfo info;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean stopping;

    private Daemon(DaemonOptions options, DaemonLock lock, FabricService fabric, ApiServer server, DaemonInfo info) {
        this.options = options;
        this.lock = lock;
        this.fabric = fabric;
        this.server = server;
        this.info = info;
    }

    /** Starts with the factory found on the classpath. */
    public static Daemon start(DaemonOptions options) throws Exception {
        return start(options, loadFactory());
    }

    public static Daemon start(DaemonOptions options, FabricServiceFactory factory) throws Exception {
        DataDirectory dir = options.dataDirectory();
        dir.create();
        DaemonLock lock = DaemonLock.acquire(dir.lockFile());
        FabricService fabric = null;
        ApiServer server = null;
        try {
            DaemonLogging.configure(dir.logFile(), options.consoleLog());
            long pid = ProcessHandle.current().pid();
            LOG.info("csemu daemon {} starting: pid {}, {} daemon of {}, data directory {}", version(), pid,
                    DaemonScope.current().kind().label(), DaemonScope.current().user(), dir);
            String token = ApiToken.loadOrCreate(dir.tokenFile());
            clearUploads(dir);
            fabric = factory.open(new FabricContext(dir.root(), options.stopInstancesOnExit()));
            Instant startedAt = Instant.now();
            AtomicReference<Object> status = new AtomicReference<>(Map.of("state", "starting"));
            server = listen(options, fabric, token, dir, status);
            DaemonInfo info = new DaemonInfo(pid, ProcessIdentity.startTicks(pid),
                    options.socket() == null ? server.port() : null,
                    options.socket() == null ? null : options.socket().toString(), server.describe(), startedAt,
                    version(), dir.root().toString());
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("state", "running");
            ready.put("version", info.version());
            ready.put("pid", info.pid());
            ready.put("url", info.url());
            ready.put("startedAt", info.startedAt().toString());
            ready.put("dataDirectory", info.dataDirectory());
            ready.put("stopInstancesOnExit", options.stopInstancesOnExit());
            DaemonScope scope = DaemonScope.current();
            ready.put("scope", scope.kind().label());
            ready.put("user", scope.user());
            ready.put("libvirtUri", System.getProperty("csemu.fabric.libvirtUri", scope.libvirtUri()));
            status.set(Map.copyOf(ready));
            DaemonInfoFile.write(dir.infoFile(), info);
            LOG.info("csemu daemon ready at {}", info.url());
            return new Daemon(options, lock, fabric, server, info);
        } catch (Exception | Error e) {
            LOG.error("csemu daemon failed to start: {}", e.toString());
            if (server != null) {
                server.close();
            }
            if (fabric != null) {
                fabric.shutdown(false);
            }
            lock.close();
            throw e;
        }
    }

    /**
     * Starts the API on the asked binding; with {@link DaemonOptions#PREFERRED_PORT} on 7070, or on any free port when
     * 7070 is taken (another user's daemon, say).
     */
    private static ApiServer listen(DaemonOptions options, FabricService fabric, String token, DataDirectory dir,
            AtomicReference<Object> status) throws IOException, InterruptedException {
        ApiBinding binding = options.socket() != null ? new ApiBinding.UnixSocket(options.socket())
                : new ApiBinding.Loopback(options.port() == DaemonOptions.PREFERRED_PORT
                        ? DaemonOptions.DEFAULT_PORT : options.port());
        try {
            ApiServerConfig config = ApiServerConfig.defaults(binding, token, dir.uploads(), status::get);
            return ApiServer.start(config, ApiRoutes.build(fabric, config));
        } catch (IOException e) {
            if (options.socket() != null || options.port() != DaemonOptions.PREFERRED_PORT) {
                throw e;
            }
            LOG.info("port {} is taken ({}); listening on a free port instead", DaemonOptions.DEFAULT_PORT,
                    e.getMessage());
            ApiServerConfig config = ApiServerConfig.defaults(new ApiBinding.Loopback(0), token, dir.uploads(),
                    status::get);
            return ApiServer.start(config, ApiRoutes.build(fabric, config));
        }
    }

    /** Runs until SIGTERM/SIGINT (a shutdown hook stops the daemon cleanly); for {@code daemon run}. */
    public static void runUntilSignalled(DaemonOptions options) throws Exception {
        Daemon daemon = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.stop("signal");
            DaemonLogging.stop();
        }, "csemu-daemon-shutdown"));
        daemon.awaitStopped();
    }

    public DaemonInfo info() {
        return info;
    }

    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    /** Stops the API, then the fabric (VMs kept unless asked otherwise), then releases the data directory. */
    public void stop(String reason) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        LOG.info("csemu daemon shutting down ({}){}", reason,
                options.stopInstancesOnExit() ? "; stopping instances" : "; instances keep running");
        try {
            server.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the API failed", e);
        }
        try {
            fabric.shutdown(options.stopInstancesOnExit());
        } catch (RuntimeException e) {
            LOG.error("the fabric did not shut down cleanly", e);
        }
        DaemonInfoFile.deleteIfOwnedBy(options.dataDirectory().infoFile(), info.pid());
        try {
            lock.close();
        } catch (IOException e) {
            LOG.warn("releasing {} failed: {}", options.dataDirectory().lockFile(), e.toString());
        }
        LOG.info("csemu daemon stopped cleanly");
        stopped.countDown();
    }

    @Override
    public void close() {
        stop("closed");
    }

    /** Request bodies left by a daemon that died mid-request; nothing else uses the directory while we hold the lock. */
    private static void clearUploads(DataDirectory dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.uploads())) {
            for (Path f : files) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(f);
                    LOG.info("removed the stale upload {}", f);
                }
            }
        }
    }

    static FabricServiceFactory loadFactory() throws ReflectiveOperationException {
        String name = System.getProperty(FACTORY_PROPERTY);
        if (name != null && !name.isBlank()) {
            return (FabricServiceFactory) Class.forName(name).getDeclaredConstructor().newInstance();
        }
        Iterator<FabricServiceFactory> it = ServiceLoader.load(FabricServiceFactory.class).iterator();
        if (!it.hasNext()) {
            throw new IllegalStateException("this csemu build contains no fabric controller (no "
                    + FabricServiceFactory.class.getName() + " service on the classpath)");
        }
        FabricServiceFactory first = it.next();
        if (it.hasNext()) {
            LOG.warn("several fabric controllers on the classpath; using {} (choose with -D{}=<class>)",
                    first.getClass().getName(), FACTORY_PROPERTY);
        }
        return first;
    }

    public static String version() {
        String v = Daemon.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
