package org.csemu.fabric.contract;

import static org.csemu.fabric.contract.LifecycleContract.Disk.GONE;
import static org.csemu.fabric.contract.LifecycleContract.Disk.KEPT;
import static org.csemu.fabric.contract.LifecycleContract.Disk.NEW;
import static org.csemu.fabric.contract.LifecycleContract.Disk.WIPED;

import java.util.ArrayList;
import java.util.List;
import org.csemu.core.model.RoleKind;

/**
 * The lifecycle table (docs/lifecycle.md, the seeds' storage promise) as data: for every operation and role kind,
 * what it does to the OS disk, to a local resource with {@code cleanOnRoleRecycle="true"} ("Clean") and one with
 * {@code "false"} ("Keep"), to the config drive, to the rotation, and the states the instance goes through. One
 * {@link ContractRunner} checks every row against a runtime: {@code LifecycleContractTest} on {@code FakeRuntime},
 * {@code LifecycleContractVmTest} on real VMs, so the fake cannot pass a row the real runtime fails.
 */
public final class LifecycleContract {

    /** The operations of the table, in the order one shared deployment goes through them. */
    public enum Operation {
        CREATE, REBOOT, GUEST_CRASH, KILL_QEMU, STOP_START, REIMAGE, HOST_FAILURE, REBUILD, SCALE_IN, DELETE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * What an operation did to a disk or a local resource, as the guest's boot counter on it and the host's file
     * show it: KEPT (counter went on, same file), WIPED (counter restarted, same local disk file), NEW (counter
     * restarted on a new file), GONE (no domain, no files).
     */
    public enum Disk { KEPT, WIPED, NEW, GONE }

    /** The config drive file: kept as it was, written again (new recycle id or rebuilt), or deleted. */
    public enum Drive { KEPT, WRITTEN, GONE }

    /**
     * One row.
     *
     * @param rotation the instance's rotation changes during the operation ({@code out}, {@code in},
     *                 {@code removed})
     * @param states   the states the instance entered, in order (the event log's {@code to}, fault transitions
     *                 included)
     */
    public record Row(Operation operation, RoleKind kind, Disk os, Disk clean, Disk keep, Drive drive,
                      List<String> rotation, List<String> states) {
        public Row {
            rotation = List.copyOf(rotation);
            states = List.copyOf(states);
        }

        public String label() {
            return operation.label() + " / " + kind.elementName();
        }
    }

    private static final List<String> OUT_IN = List.of("out", "in");
    private static final List<String> OUT_REMOVED = List.of("out", "removed");
    private static final List<String> FIRST_BOOT = List.of("CreatingVM", "StartingVM", "CreatingRole", "CreatingRole",
            "StartingRole", "ReadyRole");
    private static final List<String> CRASH = List.of("ReadyRole", "RestartingRole", "StartingVM", "StartingRole",
            "ReadyRole");

    /** The rows, every operation × every role kind. */
    public static final List<Row> ROWS = rows();

    private LifecycleContract() {
    }

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (RoleKind kind : List.of(RoleKind.WEB_ROLE, RoleKind.WORKER_ROLE, RoleKind.VIRTUAL_MACHINE_ROLE)) {
            // a recycle wipes cleanOnRoleRecycle="true" resources, except a VirtualMachineRole's: its local
            // storage survives everything but new hardware and a rebuild (the seeds' promise)
            Disk recycled = kind == RoleKind.VIRTUAL_MACHINE_ROLE ? KEPT : WIPED;
            rows.add(new Row(Operation.CREATE, kind, NEW, NEW, NEW, Drive.WRITTEN, List.of("in"),
                    FIRST_BOOT));
            rows.add(new Row(Operation.REBOOT, kind, KEPT, recycled, KEPT, Drive.WRITTEN, OUT_IN,
                    List.of("StoppingRole", "StartingVM", "StartingRole", "ReadyRole")));
            rows.add(new Row(Operation.GUEST_CRASH, kind, KEPT, KEPT, KEPT, Drive.KEPT, OUT_IN, CRASH));
            rows.add(new Row(Operation.KILL_QEMU, kind, KEPT, KEPT, KEPT, Drive.KEPT, OUT_IN, CRASH));
            rows.add(new Row(Operation.STOP_START, kind, KEPT, KEPT, KEPT, Drive.KEPT, OUT_IN,
                    List.of("StoppingVM", "StoppedVM", "StartingVM", "StartingRole", "ReadyRole")));
            rows.add(new Row(Operation.REIMAGE, kind, NEW, recycled, KEPT, Drive.WRITTEN, OUT_IN, FIRST_BOOT));
            rows.add(new Row(Operation.HOST_FAILURE, kind, NEW, NEW, NEW, Drive.WRITTEN, OUT_IN, FIRST_BOOT));
            rows.add(new Row(Operation.REBUILD, kind, NEW, NEW, NEW, Drive.WRITTEN, OUT_IN, FIRST_BOOT));
            rows.add(new Row(Operation.SCALE_IN, kind, GONE, GONE, GONE, Drive.GONE, OUT_REMOVED,
                    List.of("DeletingVM", "(removed)")));
            rows.add(new Row(Operation.DELETE, kind, GONE, GONE, GONE, Drive.GONE, OUT_REMOVED,
                    List.of("DeletingVM", "(removed)")));
        }
        rows.sort(java.util.Comparator.comparing(Row::operation));
        return List.copyOf(rows);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return out;
    }

    /** The rows as a markdown table (docs/lifecycle.md carries it; LifecycleContractTest keeps it current). */
    public static String markdown() {
        StringBuilder out = new StringBuilder(BEGIN).append('\n')
                .append("| operation | role kind | OS disk | local, clean=true | local, clean=false | config drive |"
                        + " rotation | states entered |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : ROWS) {
            out.append("| ").append(r.operation().label()).append(" | ").append(r.kind().elementName()).append(" | ")
                    .append(r.os()).append(" | ").append(r.clean()).append(" | ").append(r.keep()).append(" | ")
                    .append(r.drive()).append(" | ").append(String.join(", ", r.rotation())).append(" | ")
                    .append(String.join(" → ", r.states())).append(" |\n");
        }
        return out.append(END).toString();
    }

    public static final String BEGIN = "<!-- BEGIN GENERATED CONTRACT TABLE (LifecycleContract) -->";
    public static final String END = "<!-- END GENERATED CONTRACT TABLE -->";
}
