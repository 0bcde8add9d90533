package org.csemu.fabric.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.FabricConfig;
import org.csemu.fabric.deployment.DeploymentSnapshot;
import org.csemu.fabric.deployment.InstanceOperation;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.recovery.RecoveryReport;

/**
 * A fabric in its own JVM, for the recovery test to kill with SIGKILL. Arguments: data directory, base image
 * directory, libvirt URI, then optionally a service directory and configuration to deploy as {@code recovery}.
 * It prints one line per milestone on stdout ({@code RECOVERY adopted=N ...}, {@code READY <deployment id>},
 * {@code REIMAGE-REQUESTED <op id>}, {@code UPGRADE-REQUESTED <op id>}, {@code WALKED <ud>}) and reads commands from
 * stdin ({@code reimage <instance id>}, {@code upgrade <service dir> <mode>}, {@code walk <ud>}).
 */
public final class FabricChildMain {
    private FabricChildMain() {
    }

    public static void main(String[] args) throws Exception {
        FabricConfig config = FabricConfig.defaults(Path.of(args[0])).withBaseImageDir(Path.of(args[1]))
                .withLibvirtUris(List.of(args[2]))
                .withVipProcess(Boolean.getBoolean("csemu.fabric.vipProcess")); // as the daemon runs it
        Fabric fabric = Fabric.start(config);
        RecoveryReport r = fabric.recoveryReport();
        say("RECOVERY adopted=" + r.adopted().size() + " restarted=" + r.restarted().size() + " recreated="
                + r.recreated().size() + " finished=" + r.finished().size() + " errors=" + r.errors());
        String id;
        if (args.length > 3 && fabric.deploymentByName("recovery").isEmpty()) {
            id = fabric.createDeployment("recovery", Slot.PRODUCTION, Path.of(args[3]), Path.of(args[4])).deploymentId();
        } else {
            id = fabric.deploymentByName("recovery").orElseThrow().id();
        }
        DeploymentSnapshot v = FabricChecks.awaitAllReady(fabric, id, FabricChecks.BOOT);
        say("READY " + v.id());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split(" ");
            if (cmd[0].equals("reimage")) {
                OperationRecord op = fabric.perform(id, InstanceOperation.REIMAGE, List.of(cmd[1]));
                // the request and its first transition (with the intent) are on disk when perform returns
                say("REIMAGE-REQUESTED " + op.id());
            } else if (cmd[0].equals("upgrade")) {
                Path dir = Path.of(cmd[1]);
                OperationRecord op = fabric.upgrade(id, dir, dir.resolve("ServiceConfiguration.cscfg"),
                        org.csemu.fabric.deployment.UpgradeMode.parse(cmd[2]), null).get(0);
                say("UPGRADE-REQUESTED " + op.id());
            } else if (cmd[0].equals("walk")) {
                // the walk is on disk when it returns
                fabric.walkUpgradeDomain(id, Integer.parseInt(cmd[1]));
                say("WALKED " + cmd[1]);
            }
        }
        // stdin closed: keep the fabric running until the test kills this JVM
        new java.util.concurrent.CountDownLatch(1).await();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
