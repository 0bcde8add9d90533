package org.csemu.fabric.instance;

import org.csemu.fabric.agent.AgentChannel;
import org.csemu.fabric.agent.AgentListener;
import org.csemu.fabric.agent.AgentMessage;
import org.csemu.fabric.disk.ConfigDriveInput;
import org.csemu.fabric.disk.ConfigDriveWriter;
import org.csemu.fabric.disk.InstancePaths;
import org.csemu.fabric.disk.LocalStorageDisk;
import org.csemu.fabric.disk.OverlayDisk;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.fabric.vm.DomainMetadata;
import org.csemu.fabric.vm.DomainSpec;
import org.csemu.fabric.vm.DomainState;
import org.csemu.fabric.vm.Hypervisor;
import org.csemu.fabric.vm.HypervisorEvent;
import org.csemu.fabric.vm.HypervisorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One role instance as a VM: creates its disks, defines and starts its domain, listens to its guest agent and its
 * lifecycle events, and exposes what it observed (hello → setup restart → hello → tasks → services → Ready, or a
 * failure with its reason). It also holds the lifecycle primitives the fabric controller composes: graceful
 * reboot, stop, reimage (new overlay), rebuild (new overlay and local storage) and delete, each bounded by a
 * deadline with destroy as the fallback.
 *
 * <p>It does not decide policy (when to restart a crashed instance, rotation, the cloud's state names): that is
 * the controller's job, driven by {@link #phase()} and the observations.
 */
public final class InstanceVm implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceVm.class);
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "csemu-instance-timers");
        t.setDaemon(true);
        return t;
    });

    private final InstancePlan plan;
    private final Hypervisor hypervisor;
    private final InstancePaths paths;
    private final List<InstanceObserver> observers = new CopyOnWriteArrayList<>();
    private final List<Observation> observations = new ArrayList<>();
    private final List<AgentMessage> messages = new ArrayList<>();
    private final AutoCloseable subscription;
    private AgentChannel channel;
    private ConfigDriveInput configDrive;
    private int overlayGeneration;
    private InstancePhase phase = InstancePhase.NEW;
    /** Increments on every start and every guest reboot: the hello deadline belongs to one boot. */
    private long bootCount;
    /** Increments on every start operation: the Ready deadline belongs to one start. */
    private long startCount;
    private long rebootEvents;
    private long helloCount;
    private boolean intentionalStop;
    private AgentMessage.Hello lastHello;
    private AgentMessage.Task failedTask;

    /** A new instance (nothing created yet). */
    public InstanceVm(InstancePlan plan, Hypervisor hypervisor) {
        this(plan, hypervisor, 0);
    }

    /**
     * An instance whose domain may already exist, e.g. adopted after a daemon restart with the overlay generation
     * read back from the domain's metadata ({@code Hypervisor.listCsemuDomains()}).
     */
    public InstanceVm(InstancePlan plan, Hypervisor hypervisor, int overlayGeneration) {
        this.plan = plan;
        this.hypervisor = hypervisor;
        this.paths = plan.paths();
        this.configDrive = plan.configDrive();
        this.overlayGeneration = overlayGeneration;
        this.subscription = hypervisor.subscribe(this::onHypervisorEvent);
    }

    public InstancePlan plan() {
        return plan;
    }

    public InstancePaths paths() {
        return paths;
    }

    public String domainName() {
        return plan.domainName();
    }

    public synchronized InstancePhase phase() {
        return phase;
    }

    public synchronized int overlayGeneration() {
        return overlayGeneration;
    }

    /** The recycle id currently on the config drive. */
    public synchronized String recycleId() {
        return configDrive.identity().recycleId();
    }

    /** Everything observed so far, oldest first. */
    public synchronized List<Observation> observations() {
        return List.copyOf(observations);
    }

    /** Every accepted agent message since this object was created, in arrival order. */
    public synchronized List<AgentMessage> agentMessages() {
        return List.copyOf(messages);
    }

    /** The task that failed in the current boot, if one did (exit code and output tail included). */
    public synchronized Optional<AgentMessage.Task> failedTask() {
        return Optional.ofNullable(failedTask);
    }

    /** The last hello (its {@code firstBoot} says whether the overlay was fresh). */
    public synchronized Optional<AgentMessage.Hello> lastHello() {
        return Optional.ofNullable(lastHello);
    }

    public Optional<Instant> lastHeartbeat() {
        AgentChannel c = channel();
        return c == null ? Optional.empty() : c.lastHeartbeat();
    }

    public OptionalLong qemuPid() throws HypervisorException {
        return hypervisor.qemuPid(domainName());
    }

    public void addObserver(InstanceObserver observer) {
        observers.add(observer);
    }

    /** Creates the disks and config drive (reusing an existing overlay and local disk) and defines the domain. */
    public void create() throws IOException, InterruptedException, HypervisorException {
        transition(InstancePhase.CREATING_DISKS, "operation", "create disks");
        try {
            Files.createDirectories(paths.dir());
            if (!Files.isRegularFile(paths.osDisk())) {
                OverlayDisk.create(plan.image().disk(), plan.image().diskFormat(), paths.osDisk());
            }
            LocalStorageDisk.ensure(paths.localDisk(), plan.localDiskSizeMiB());
            writeConfigDrive();
            hypervisor.define(domainSpec());
        } catch (IOException | HypervisorException | RuntimeException e) {
            transition(InstancePhase.FAILED_TO_CREATE, "create-failed", e.getMessage());
            throw e;
        }
    }

    /** Starts the defined domain and the agent channel; progress is then observed asynchronously. */
    public void start() throws HypervisorException {
        long boot;
        long start;
        synchronized (this) {
            intentionalStop = false;
            failedTask = null;
            boot = ++bootCount;
            start = ++startCount;
            phaseLocked(InstancePhase.STARTING_VM, "operation", "start domain " + domainName());
        }
        ensureChannel();
        try {
            hypervisor.start(domainName());
        } catch (HypervisorException e) {
            transition(InstancePhase.CRASHED, "start-failed", e.getMessage());
            throw e;
        }
        armTimers(boot, start);
    }

    /**
     * Takes over a domain that is already running (the daemon restarted): connects the agent channel without
     * touching the guest. The phase becomes {@code BOOTING} until the agent's next heartbeat says where it is
     * (Ready, Busy), or a hello shows it rebooted meanwhile. Returns false when the domain is not running.
     */
    public boolean adopt() throws HypervisorException {
        Optional<DomainState> state = hypervisor.state(domainName());
        if (state.isEmpty() || !state.get().isActive()) {
            transition(InstancePhase.STOPPED, "operation", "adopt: domain " + domainName() + " is not running ("
                    + state.map(Enum::name).orElse("not defined") + ")");
            return false;
        }
        synchronized (this) {
            intentionalStop = false;
            phaseLocked(InstancePhase.BOOTING, "operation", "adopted running domain " + domainName()
                    + " (overlay generation " + overlayGeneration + ")");
        }
        ensureChannel();
        return true;
    }

    /** {@link #create()} then {@link #start()}. */
    public void boot() throws IOException, InterruptedException, HypervisorException {
        create();
        start();
    }

    /** Waits until Ready or a failure; returns the phase reached. Never longer than {@code deadline}. */
    public InstancePhase awaitSettled(Deadline deadline) throws InterruptedException, TimeoutException {
        return awaitPhase(InstancePhase::isSettled, deadline, "instance " + plan.instanceId() + " to become Ready or fail");
    }

    public InstancePhase awaitPhase(Predicate<InstancePhase> condition, Deadline deadline, String what)
            throws InterruptedException, TimeoutException {
        return Poller.standard().until(what, deadline, () -> {
            InstancePhase p = phase();
            return condition.test(p) ? Optional.of(p) : Optional.empty();
        });
    }

    /**
     * Graceful reboot: the agent stops the role and reboots the guest (the overlay is kept). When the agent does
     * not manage within the graceful-stop deadline, the domain is destroyed and started again.
     */
    public void reboot() throws HypervisorException, InterruptedException {
        long rebootsBefore;
        long hellosBefore;
        synchronized (this) {
            rebootsBefore = rebootEvents;
            hellosBefore = helloCount;
            phaseLocked(InstancePhase.STOPPING, "operation", "graceful reboot");
        }
        boolean graceful = askAgent("reboot", () -> {
            synchronized (this) {
                return rebootEvents > rebootsBefore || helloCount > hellosBefore;
            }
        });
        if (!graceful) {
            record("operation", "graceful reboot did not happen within " + plan.timeouts().gracefulStop().toSeconds()
                    + " s; destroying and starting again");
            hardStop();
            start();
        }
    }

    /** Graceful stop (agent powers the guest off), destroy after the deadline. The disks are kept. */
    public void stop() throws HypervisorException, InterruptedException {
        synchronized (this) {
            intentionalStop = true;
            phaseLocked(InstancePhase.STOPPING, "operation", "graceful stop");
        }
        Optional<DomainState> state = hypervisor.state(domainName());
        if (state.isPresent() && state.get().isActive()) {
            boolean graceful = askAgent("poweroff", () -> isOff());
            if (!graceful) {
                record("operation", "graceful stop did not finish within " + plan.timeouts().gracefulStop().toSeconds()
                        + " s; destroying");
            }
        }
        hardStop();
        closeChannel(); // a stopped guest has no socket to poll for; start() opens a fresh channel
        transition(InstancePhase.STOPPED, "operation", "stopped");
    }

    /**
     * Reimage: discard the overlay and start from a fresh one on the same base (first-boot setup runs again), with
     * the config drive rebuilt under a new recycle id. Local storage is kept.
     */
    public void reimage() throws HypervisorException, InterruptedException, IOException {
        recreate(false);
    }

    /** Rebuild ("new hardware"): like {@link #reimage()}, and the local-storage disk is recreated empty too. */
    public void rebuild() throws HypervisorException, InterruptedException, IOException {
        recreate(true);
    }

    private void recreate(boolean discardLocalStorage) throws HypervisorException, InterruptedException, IOException {
        stop();
        synchronized (this) {
            overlayGeneration++;
            configDrive = configDrive.withIdentity(configDrive.identity().withRecycleId(newRecycleId()));
        }
        record("operation", (discardLocalStorage ? "rebuild" : "reimage") + ": new overlay generation " + overlayGeneration);
        OverlayDisk.create(plan.image().disk(), plan.image().diskFormat(), paths.osDisk());
        if (discardLocalStorage) {
            LocalStorageDisk.create(paths.localDisk(), plan.localDiskSizeMiB());
        } else {
            LocalStorageDisk.ensure(paths.localDisk(), plan.localDiskSizeMiB());
        }
        writeConfigDrive();
        hypervisor.define(domainSpec());
        start();
    }

    /** Destroys and undefines the domain and deletes every file of the instance. Idempotent. */
    public void delete() throws HypervisorException, IOException {
        synchronized (this) {
            intentionalStop = true;
        }
        hypervisor.destroy(domainName());
        hypervisor.undefine(domainName());
        closeChannel();
        if (Files.exists(paths.dir())) {
            try (Stream<Path> walk = Files.walk(paths.dir())) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        transition(InstancePhase.DELETED, "operation", "deleted");
    }

    /** Stops listening (agent channel, events); the VM keeps running. */
    @Override
    public void close() {
        closeChannel();
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("unsubscribe failed: {}", e.getMessage());
        }
    }

    /** The domain definition for the current overlay generation. */
    public DomainSpec domainSpec() {
        int generation;
        synchronized (this) {
            generation = overlayGeneration;
        }
        return new DomainSpec(domainName(),
                new DomainMetadata(plan.dataDirId(), plan.deploymentId(), plan.roleName(), plan.instanceId(), generation),
                hypervisor.virtType(), plan.vcpus(), plan.memoryMiB(),
                new DomainSpec.DirectBoot(plan.image().kernel(), plan.image().initrd(), plan.image().cmdline()),
                paths.osDisk(), new DomainSpec.BaseImage(plan.image().disk(), plan.image().diskFormat()),
                paths.configDrive(), paths.localDisk(), plan.forwards(), paths.agentSocket(), DomainSpec.AGENT_CHANNEL,
                paths.consoleLog());
    }

    // ---------------------------------------------------------------------------------------------------------

    private boolean askAgent(String then, java.util.function.BooleanSupplier done) throws InterruptedException {
        AgentChannel c = channel();
        Deadline deadline = Deadline.after(plan.timeouts().gracefulStop());
        if (c == null || !c.isConnected()) {
            record("operation", "agent channel not connected; cannot ask the guest to " + then);
            return false;
        }
        try {
            CompletableFuture<AgentMessage.Ack> ack = c.sendStopping(then);
            record("operation", "sent stopping then=" + then);
            ack.whenComplete((a, e) -> {
                if (a != null) {
                    record("ack", "agent acknowledged stopping then=" + then);
                }
            });
        } catch (IOException e) {
            record("operation", "cannot send stopping to the agent: " + e.getMessage());
            return false;
        }
        try {
            Poller.standard().until("guest " + then, deadline, done);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    private boolean isOff() {
        try {
            Optional<DomainState> state = hypervisor.state(domainName());
            return state.isEmpty() || !state.get().isActive();
        } catch (HypervisorException e) {
            return false;
        }
    }

    private void hardStop() throws HypervisorException, InterruptedException {
        synchronized (this) {
            intentionalStop = true;
        }
        hypervisor.destroy(domainName());
        try {
            Poller.standard().until("domain " + domainName() + " to stop", Deadline.after(Duration.ofSeconds(30)), this::isOff);
        } catch (TimeoutException e) {
            throw new HypervisorException("domain " + domainName() + " is still running 30 s after destroy");
        }
    }

    private void writeConfigDrive() throws IOException {
        ConfigDriveInput input;
        synchronized (this) {
            input = configDrive;
        }
        new ConfigDriveWriter().write(input, paths.configDrive());
    }

    private static String newRecycleId() {
        return UUID.randomUUID().toString().substring(0, 13).replace("-", "");
    }

    private synchronized AgentChannel channel() {
        return channel;
    }

    private void ensureChannel() {
        synchronized (this) {
            if (channel != null) {
                return;
            }
            channel = new AgentChannel(paths.agentSocket(), new AgentListener() {
                @Override
                public void onMessage(AgentMessage message) {
                    onAgentMessage(message);
                }

                @Override
                public void onConnection(boolean connected) {
                    record("channel", connected ? "agent channel connected" : "agent channel lost");
                }
            });
        }
        channel.start();
    }

    private void closeChannel() {
        AgentChannel c;
        synchronized (this) {
            c = channel;
            channel = null;
        }
        if (c != null) {
            c.close();
        }
    }

    private void armTimers(long boot, long start) {
        TIMERS.schedule(() -> {
            synchronized (this) {
                if (bootCount == boot && phase == InstancePhase.STARTING_VM) {
                    phaseLocked(InstancePhase.AGENT_TIMEOUT, "timeout", "the guest agent did not say hello within "
                            + plan.timeouts().hello().toSeconds() + " s of the domain starting (see " + paths.consoleLog() + ")");
                }
            }
            flush();
        }, plan.timeouts().hello().toMillis(), TimeUnit.MILLISECONDS);
        TIMERS.schedule(() -> {
            synchronized (this) {
                if (startCount == start && !phase.isSettled() && phase != InstancePhase.STOPPING
                        && phase != InstancePhase.STOPPED && phase != InstancePhase.DELETED) {
                    phaseLocked(InstancePhase.READY_TIMEOUT, "timeout", "the instance did not become Ready within "
                            + plan.timeouts().ready().toSeconds() + " s (last phase " + phase + ")");
                }
            }
            flush();
        }, plan.timeouts().ready().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onAgentMessage(AgentMessage message) {
        synchronized (this) {
            messages.add(message);
            if (message instanceof AgentMessage.Hello hello) {
                lastHello = hello;
                helloCount++;
                failedTask = null;
            }
            if (message instanceof AgentMessage.Task task && task.failed()) {
                failedTask = task;
            }
            InstancePhase next = PhaseTable.next(phase, message);
            phaseLocked(next, message.header().type(), describe(message));
        }
        flush();
    }

    private void onHypervisorEvent(HypervisorEvent event) {
        if (!domainName().equals(event.domainName())) {
            return;
        }
        synchronized (this) {
            switch (event.kind()) {
                case REBOOTED -> {
                    rebootEvents++;
                    long boot = ++bootCount;
                    // whatever the phase was (setup restart, a requested reboot, a guest rebooting by itself),
                    // the next boot starts over and must say hello in time
                    phaseLocked(InstancePhase.STARTING_VM, "rebooted", "guest rebooted (" + event.detail() + ")");
                    TIMERS.schedule(() -> {
                        synchronized (this) {
                            if (bootCount == boot && phase == InstancePhase.STARTING_VM) {
                                phaseLocked(InstancePhase.AGENT_TIMEOUT, "timeout", "the guest agent did not say hello within "
                                        + plan.timeouts().hello().toSeconds() + " s of the guest rebooting");
                            }
                        }
                        flush();
                    }, plan.timeouts().hello().toMillis(), TimeUnit.MILLISECONDS);
                }
                case CRASHED -> {
                    if (!intentionalStop) {
                        phaseLocked(InstancePhase.CRASHED, "crashed", "the domain stopped unexpectedly (" + event.detail() + ")");
                    } else {
                        addLocked("lifecycle", event.kind() + " " + event.detail());
                    }
                }
                case STOPPED -> {
                    if (!intentionalStop && phase != InstancePhase.STOPPED) {
                        phaseLocked(InstancePhase.STOPPED, "lifecycle", "the guest powered itself off (" + event.detail() + ")");
                    } else {
                        addLocked("lifecycle", event.kind() + " " + event.detail());
                    }
                }
                default -> addLocked("lifecycle", event.kind() + " " + event.detail());
            }
        }
        flush();
    }

    private static String describe(AgentMessage m) {
        if (m instanceof AgentMessage.Hello h) {
            return "hello firstBoot=" + h.firstBoot() + " boot=" + h.header().boot() + " agent=" + h.agent();
        }
        if (m instanceof AgentMessage.Setup s) {
            return "setup " + s.phase() + " restart=" + s.restart();
        }
        if (m instanceof AgentMessage.Task t) {
            return "task " + t.index() + " " + t.state() + (t.exitCode() == null ? "" : " exitCode=" + t.exitCode())
                    + " (" + t.command() + ")" + (t.failed() && t.outputTail() != null ? "\n" + t.outputTail() : "");
        }
        if (m instanceof AgentMessage.Service s) {
            return "service " + s.name() + " " + s.state() + (s.pid() == null ? "" : " pid=" + s.pid());
        }
        if (m instanceof AgentMessage.Status s) {
            return "status " + s.status() + (s.reason() == null ? "" : " (" + s.reason() + ")");
        }
        if (m instanceof AgentMessage.Heartbeat h) {
            return "heartbeat " + h.status();
        }
        if (m instanceof AgentMessage.Log l) {
            return "log " + l.level() + ": " + l.message();
        }
        if (m instanceof AgentMessage.Ack a) {
            return "ack " + a.id() + " cancel=" + a.cancel();
        }
        return m.header().type();
    }

    // Observations are recorded under the lock and delivered to observers outside it, in order.
    private final List<Observation> undelivered = new ArrayList<>();

    private void transition(InstancePhase next, String kind, String detail) {
        synchronized (this) {
            phaseLocked(next, kind, detail);
        }
        flush();
    }

    private void record(String kind, String detail) {
        synchronized (this) {
            addLocked(kind, detail);
        }
        flush();
    }

    private void phaseLocked(InstancePhase next, String kind, String detail) {
        if (phase != next) {
            LOG.info("{}: {} -> {} ({}: {})", domainName(), phase, next, kind, firstLine(detail));
        }
        phase = next;
        addLocked(kind, detail);
    }

    private void addLocked(String kind, String detail) {
        Observation o = new Observation(Instant.now(), phase, kind, detail);
        observations.add(o);
        undelivered.add(o);
    }

    private void flush() {
        List<Observation> batch;
        synchronized (this) {
            if (undelivered.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(undelivered);
            undelivered.clear();
        }
        for (Observation o : batch) {
            for (InstanceObserver observer : observers) {
                try {
                    observer.onObservation(this, o);
                } catch (RuntimeException e) {
                    LOG.warn("instance observer failed: {}", e.getMessage(), e);
                }
            }
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
