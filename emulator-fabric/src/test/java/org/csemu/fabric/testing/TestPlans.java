package org.csemu.fabric.testing;

import org.csemu.core.model.ExecutionContext;
import org.csemu.core.model.TaskType;
import org.csemu.fabric.disk.ConfigDriveInput;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.instance.InstancePlan;
import org.csemu.fabric.vm.PortForward;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Builds instance plans for VM tests: a web role with one site on guest port 80 and the given startup tasks. */
public final class TestPlans {

    private TestPlans() {
    }

    /** A startup task with a literal environment. */
    public static ConfigDriveInput.Task simpleTask(String command, Map<String, String> env) {
        return new ConfigDriveInput.Task(command, TaskType.SIMPLE, ExecutionContext.ELEVATED, env);
    }

    public static InstancePlan webInstance(VmTestEnvironment env, Image image, String instanceId, String siteMarker,
                                           List<ConfigDriveInput.Task> tasks,
                                           List<ConfigDriveInput.LocalResource> localResources,
                                           InstancePlan.Timeouts timeouts) throws IOException {
        Path content = Files.createDirectories(env.dataDir().resolve("content-" + instanceId));
        Path site = Files.createDirectories(content.resolve("site"));
        Files.writeString(site.resolve("index.html"), siteMarker + "\n");
        Path approot = Files.createDirectories(content.resolve("approot"));
        Files.writeString(approot.resolve("README"), "role content of " + instanceId + "\n");
        String[] address = freeLoopback();
        ConfigDriveInput input = new ConfigDriveInput(
                new ConfigDriveInput.Identity(env.deploymentId(), instanceId, "WebRole", 0, 0, "r0", 2),
                instanceId.replace('_', '-').toLowerCase(),
                List.of(new ConfigDriveInput.Setting("Greeting", "it's a \"test\" $HOME")),
                List.of(), Map.of(), localResources, tasks, ConfigDriveInput.Entry.none(), new LinkedHashMap<>(),
                List.of(new ConfigDriveInput.SiteContent("Web", List.of(80), site)),
                ("<RoleEnvironment><CurrentInstance id=\"" + instanceId + "\"/></RoleEnvironment>\n").getBytes(StandardCharsets.UTF_8),
                approot);
        List<InstancePlan.Endpoint> endpoints = new ArrayList<>();
        endpoints.add(new InstancePlan.Endpoint("HttpIn", PortForward.Protocol.TCP, 80, Integer.parseInt(address[1]), null));
        return new InstancePlan(env.dataDir(), env.dataDirId(), env.deploymentId(), "WebRole", instanceId, image,
                address[0], endpoints, input, 1, 128, timeouts);
    }

    public static InstancePlan.Timeouts timeouts(int helloSeconds, int readySeconds) {
        return new InstancePlan.Timeouts(Duration.ofSeconds(helloSeconds), Duration.ofSeconds(readySeconds), Duration.ofSeconds(30));
    }

    /** A random 127.255.0.N address and a port free on it right now (the forward binds it moments later). */
    public static String[] freeLoopback() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            String address = "127.255.0." + ThreadLocalRandom.current().nextInt(2, 250);
            int port = ThreadLocalRandom.current().nextInt(20000, 40000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(address))) {
                return new String[] {address, Integer.toString(socket.getLocalPort())};
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free loopback port found");
    }
}
