package org.csemu.fabric.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.csemu.core.model.RoleKind;
import org.csemu.fabric.contract.ContractTarget.Evidence;
import org.csemu.fabric.contract.LifecycleContract.Disk;
import org.csemu.fabric.contract.LifecycleContract.Drive;
import org.csemu.fabric.contract.LifecycleContract.Operation;
import org.csemu.fabric.contract.LifecycleContract.Row;
import org.csemu.fabric.deployment.DeploymentSnapshot;
import org.csemu.fabric.deployment.FabricController;
import org.csemu.fabric.deployment.InjectedFault;
import org.csemu.fabric.deployment.InstanceOperation;
import org.csemu.fabric.deployment.InstanceSnapshot;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;

/**
 * Runs every row of {@link LifecycleContract} against one {@link ContractTarget}: one deployment with one instance
 * of each role kind goes through the operations in table order (each operation on the three instances at once, so
 * the booted guests are shared by every row that allows it; scale-in adds a second instance per role first). For
 * each row the result is {@code ok} or what differed from the table.
 */
public final class ContractRunner {
    private static final Map<String, RoleKind> ROLES = Map.of(ContractTarget.WEB, RoleKind.WEB_ROLE,
            ContractTarget.WORKER, RoleKind.WORKER_ROLE, ContractTarget.VM, RoleKind.VIRTUAL_MACHINE_ROLE);

    private final ContractTarget target;
    private final FabricController controller;
    private final Map<Row, String> results = new LinkedHashMap<>();
    private String deploymentId;

    public ContractRunner(ContractTarget target) {
        this.target = target;
        this.controller = target.controller();
    }

    /** Every row's result, in table order. */
    public Map<Row, String> run() throws Exception {
        Map<InstanceRef, Evidence> none = new LinkedHashMap<>();
        target.markRotation();
        deploymentId = target.deploy();
        List<InstanceRef> refs = instances(0);
        refs.forEach(r -> none.put(r, null));
        step(Operation.CREATE, refs, none, 0, () -> awaitReady(refs));
        for (Operation op : List.of(Operation.REBOOT, Operation.GUEST_CRASH, Operation.KILL_QEMU,
                Operation.STOP_START, Operation.REIMAGE, Operation.HOST_FAILURE, Operation.REBUILD)) {
            Map<InstanceRef, Evidence> before = observeAll(refs);
            int mark = controller.events(deploymentId).size();
            target.markRotation();
            step(op, refs, before, mark, () -> perform(op, refs, mark));
        }
        scaleIn(refs);
        Map<InstanceRef, Evidence> before = observeAll(refs);
        int mark = controller.events(deploymentId).size();
        target.markRotation();
        step(Operation.DELETE, refs, before, mark, () -> {
            String op = target.delete(deploymentId);
            await(op);
        });
        return results;
    }

    /** An action of one operation, failing with the reason it could not finish. */
    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private void step(Operation op, List<InstanceRef> refs, Map<InstanceRef, Evidence> before, int mark,
                      Action action) throws Exception {
        try {
            action.run();
        } catch (AssertionError | TimeoutException | RuntimeException e) {
            for (InstanceRef ref : refs) {
                results.put(row(op, ref), "did not finish: " + e.getMessage());
            }
            return;
        }
        for (InstanceRef ref : refs) {
            Row row = row(op, ref);
            boolean gone = row.os() == Disk.GONE;
            Evidence after = gone ? target.observe(ref) : awaitGuest(ref);
            results.put(row, compare(row, before.get(ref), after, target.rotation(ref), states(ref, mark)));
        }
    }

    private void perform(Operation op, List<InstanceRef> refs, int mark) throws Exception {
        List<String> ids = refs.stream().map(InstanceRef::instanceId).toList();
        switch (op) {
            case REBOOT -> await(controller.perform(deploymentId, InstanceOperation.REBOOT, ids).id());
            case REIMAGE -> await(controller.perform(deploymentId, InstanceOperation.REIMAGE, ids).id());
            case REBUILD -> await(controller.perform(deploymentId, InstanceOperation.REBUILD, ids).id());
            case STOP_START -> {
                await(controller.perform(deploymentId, InstanceOperation.STOP, ids).id());
                await(controller.perform(deploymentId, InstanceOperation.START, ids).id());
            }
            case GUEST_CRASH -> fault(refs, InjectedFault.GUEST_CRASH);
            case KILL_QEMU -> fault(refs, InjectedFault.KILL_PROCESS);
            case HOST_FAILURE -> fault(refs, InjectedFault.HOST_FAILURE);
            default -> throw new IllegalArgumentException(op.toString());
        }
        // healed: every instance left ReadyRole since the mark and is back in it
        for (InstanceRef ref : refs) {
            until(ref.instanceId() + " healed after " + op.label(), () -> {
                List<String> s = states(ref, mark);
                return s.stream().anyMatch(x -> !x.equals("ReadyRole"))
                        && controller.state(deploymentId, ref.instanceId()).orElse(null) == InstanceState.READY_ROLE;
            });
        }
        awaitReady(refs);
    }

    private void fault(List<InstanceRef> refs, InjectedFault kind) throws Exception {
        List<String> ops = new ArrayList<>();
        for (InstanceRef ref : refs) {
            ops.add(controller.injectFault(deploymentId, ref.instanceId(), kind).id());
        }
        for (String op : ops) {
            await(op);
        }
    }

    /**
     * Scale every role to two instances, then back to one: the rows are about the removed {@code _IN_1}; the
     * instance that stays must not notice (no rotation change, no boot, same files).
     */
    private void scaleIn(List<InstanceRef> staying) throws Exception {
        List<InstanceRef> added;
        Map<InstanceRef, Evidence> before;
        try {
            List<String> ops = new ArrayList<>();
            for (String role : ROLES.keySet()) {
                ops.add(target.scale(deploymentId, role, 2));
            }
            for (String op : ops) {
                await(op);
            }
            added = instances(1);
            awaitReady(added);
            for (InstanceRef ref : added) {
                awaitGuest(ref);
            }
            before = observeAll(staying);
        } catch (AssertionError | TimeoutException | RuntimeException e) {
            for (InstanceRef ref : staying) {
                results.put(row(Operation.SCALE_IN, ref), "scale out did not finish: " + e.getMessage());
            }
            return;
        }
        Map<InstanceRef, Evidence> addedBefore = observeAll(added);
        int mark = controller.events(deploymentId).size();
        target.markRotation();
        step(Operation.SCALE_IN, added, addedBefore, mark, () -> {
            List<String> ops = new ArrayList<>();
            for (String role : ROLES.keySet()) {
                ops.add(target.scale(deploymentId, role, 1));
            }
            for (String op : ops) {
                await(op);
            }
        });
        for (InstanceRef ref : staying) {
            Evidence now = target.observe(ref);
            List<String> rotation = target.rotation(ref);
            Row row = row(Operation.SCALE_IN, ref);
            List<String> problems = new ArrayList<>();
            if (!rotation.isEmpty()) {
                problems.add("the staying " + ref.instanceId() + " changed rotation " + rotation);
            }
            if (!Objects.equals(now, before.get(ref))) {
                problems.add("the staying " + ref.instanceId() + " changed: " + before.get(ref) + " -> " + now);
            }
            if (!problems.isEmpty()) {
                results.merge(row, String.join("; ", problems), (a, b) -> a.equals("ok") ? b : a + "; " + b);
            }
        }
    }

    static String compare(Row row, Evidence before, Evidence after, List<String> rotation, List<String> states) {
        List<String> problems = new ArrayList<>();
        check(problems, "OS disk", row.os(), disk(before == null ? null : before.osBoots(), after.osBoots(),
                before == null ? null : before.overlay(), after.overlay(), after));
        check(problems, "local clean=true", row.clean(), disk(before == null ? null : before.cleanBoots(),
                after.cleanBoots(), before == null ? null : before.localDisk(), after.localDisk(), after));
        check(problems, "local clean=false", row.keep(), disk(before == null ? null : before.keepBoots(),
                after.keepBoots(), before == null ? null : before.localDisk(), after.localDisk(), after));
        Drive drive = after.gone() ? Drive.GONE : before != null && Objects.equals(before.drive(), after.drive())
                ? Drive.KEPT : Drive.WRITTEN;
        check(problems, "config drive", row.drive(), drive.toString());
        if (!rotation.equals(row.rotation())) {
            problems.add("rotation " + rotation + " (expected " + row.rotation() + ")");
        }
        if (!states.equals(row.states())) {
            problems.add("states " + states + " (expected " + row.states() + ")");
        }
        return problems.isEmpty() ? "ok" : String.join("; ", problems);
    }

    private static void check(List<String> problems, String what, Object expected, String actual) {
        if (!expected.toString().equals(actual)) {
            problems.add(what + " " + actual + " (expected " + expected + ")");
        }
    }

    /** What the counters and the file identities say happened to one disk. */
    static String disk(Integer before, Integer after, Object fileBefore, Object fileAfter, Evidence evidence) {
        if (evidence.gone()) {
            return Disk.GONE.toString();
        }
        if (after == null) {
            return "unreadable";
        }
        boolean sameFile = fileBefore != null && fileBefore.equals(fileAfter);
        if (before != null && sameFile && after == before + 1) {
            return Disk.KEPT.toString();
        }
        if (after == 1 && sameFile) {
            return Disk.WIPED.toString();
        }
        if (after == 1) {
            return Disk.NEW.toString();
        }
        return "counter " + before + "->" + after + (sameFile ? " on the same file" : " on a new file");
    }

    /** The guest answers with its counters (a real guest may take a moment after Ready to be reachable). */
    private Evidence awaitGuest(InstanceRef ref) throws Exception {
        try {
            return Poller.standard().until(ref.instanceId() + "'s guest counters readable",
                    Deadline.after(target.budget()), () -> {
                        target.pump();
                        Evidence e = target.observe(ref);
                        return e.osBoots() != null && e.cleanBoots() != null && e.keepBoots() != null
                                ? Optional.of(e) : Optional.empty();
                    });
        } catch (TimeoutException e) {
            return target.observe(ref);
        }
    }

    private Map<InstanceRef, Evidence> observeAll(List<InstanceRef> refs) throws Exception {
        Map<InstanceRef, Evidence> out = new LinkedHashMap<>();
        for (InstanceRef ref : refs) {
            out.put(ref, awaitGuest(ref));
        }
        return out;
    }

    private List<String> states(InstanceRef ref, int fromIndex) {
        List<LifecycleEvent> all = controller.events(deploymentId);
        return all.subList(Math.min(fromIndex, all.size()), all.size()).stream()
                .filter(e -> ref.instanceId().equals(e.instanceId())).map(LifecycleEvent::to).toList();
    }

    private List<InstanceRef> instances(int index) {
        DeploymentSnapshot v = controller.view(deploymentId).orElseThrow();
        return v.instances().stream().map(InstanceSnapshot::ref).filter(r -> r.instanceId().endsWith("_IN_" + index))
                .sorted(java.util.Comparator.comparing(InstanceRef::roleName)).toList();
    }

    private void awaitReady(List<InstanceRef> refs) throws Exception {
        for (InstanceRef ref : refs) {
            until(ref.instanceId() + " ReadyRole", () -> controller.state(deploymentId, ref.instanceId())
                    .orElse(null) == InstanceState.READY_ROLE);
        }
    }

    private void await(String operationId) throws Exception {
        target.pump();
        until("operation " + operationId, () -> controller.operation(operationId)
                .map(o -> o.status() != OperationRecord.Status.IN_PROGRESS).orElse(true));
        OperationRecord done = controller.operation(operationId).orElse(null);
        if (done != null && done.status() != OperationRecord.Status.SUCCEEDED) {
            throw new AssertionError("operation " + operationId + " " + done.status() + ": " + done.errors());
        }
    }

    private void until(String what, BooleanSupplier condition) throws Exception {
        Poller.standard().until(what, Deadline.after(target.budget()), () -> {
            target.pump();
            return condition.getAsBoolean();
        });
    }

    private static Row row(Operation op, InstanceRef ref) {
        RoleKind kind = ROLES.get(ref.roleName());
        return LifecycleContract.ROWS.stream().filter(r -> r.operation() == op && r.kind() == kind).findFirst()
                .orElseThrow();
    }

    /** The rows whose result is not {@code ok}: label → what differed. */
    public static Map<String, String> failing(Map<Row, String> results) {
        Map<String, String> out = new LinkedHashMap<>();
        results.forEach((row, result) -> {
            if (!result.equals("ok")) {
                out.put(row.label(), result);
            }
        });
        return out;
    }

    /** The table printed by the tests: row → real result, fake result. */
    public static String table(Map<Row, String> real, Map<Row, String> fake) {
        StringBuilder out = new StringBuilder("| row | real VMs | FakeRuntime |\n| --- | --- | --- |\n");
        for (Row r : LifecycleContract.ROWS) {
            out.append("| ").append(r.label()).append(" | ").append(real == null ? "not run" : real.getOrDefault(r,
                    "missing")).append(" | ").append(fake.getOrDefault(r, "missing")).append(" |\n");
        }
        return out.toString();
    }
}
