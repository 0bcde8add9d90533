package org.csemu.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.csemu.cli.ExitCodes;
import org.csemu.cli.client.HttpTransport;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.fabric.api.TerminalFrames;
import org.csemu.fabric.util.Deadline;
import org.csemu.core.util.FileTrees;
import org.csemu.fabric.util.Poller;
import org.csemu.testing.RawHttp;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole user path on real VMs, one deployment lifecycle to keep boots few: the README's first command
 * ({@code csemu run samples/hello-web --wait-ready --timeout 5m}, which starts the daemon) until the VIP answers
 * from both instances, then status, the API's refusals on the wired daemon, 50 concurrent clients, reimage, logs,
 * events, a timeout, scale out and in, remove. Every exit code of docs/cli.md that a user meets is checked.
 */
@VmTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliLifecycleVmTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("csemu.root", "..")).toAbsolutePath().normalize();
    private static final Path HELLO_WEB = ROOT.resolve("samples/hello-web");

    @RegisterExtension
    static final LiveDaemonSession LIVE = LiveDaemonSession.create();

    private LiveDaemon daemon;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void setUp() {
        daemon = LIVE.daemon();
    }

    @Test
    @Order(1)
    void withoutADaemonStatusExits3() {
        LiveDaemon.Result r = daemon.csemu("status");
        assertThat(r.code()).as(r.all()).isEqualTo(ExitCodes.NOT_RUNNING);
        assertThat(r.err()).contains("no csemu daemon is running").contains("csemu daemon start");
    }

    @Test
    @Order(2)
    void anInvalidServiceExits1OfflineWithFileLineColumnAndStartsNothing() throws IOException {
        Path bad = Files.createTempDirectory("csemu-bad-service");
        try {
            copyTree(HELLO_WEB, bad);
            Path cscfg = bad.resolve("ServiceConfiguration.cscfg");
            Files.writeString(cscfg, Files.readString(cscfg).replace("<Role name=\"WebRole1\">",
                    "<Role name=\"NoSuchRole\">"));
            LiveDaemon.Result r = daemon.csemu("run", bad.toString(), "--wait-ready", "--timeout", "1m");
            assertThat(r.code()).as(r.all()).isEqualTo(ExitCodes.INVALID);
            assertThat(r.err()).containsPattern("ServiceConfiguration\\.cscfg:\\d+:\\d+: error")
                    .contains("nothing was deployed");
            assertThat(daemon.info()).as("no daemon was started for an invalid service").isEmpty();
        } finally {
            FileTrees.delete(bad);
        }
    }

    /** README.md, "The two commands": the second one, exactly (the first, ./csemu setup, prepared this host). */
    @Test
    @Order(3)
    void readmeMainPath_runWaitReady_vipAnswersFromBothInstances() throws Exception {
        LiveDaemon.Result r = daemon.csemu("run", HELLO_WEB.toString(), "--wait-ready", "--timeout", "5m",
                "--daemon-port", "0");
        assertThat(r.code()).as(r.all()).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).contains("starting one");
        assertThat(r.out()).contains("WebRole1_IN_0").contains("ReadyRole").contains("hello-web is ready");
        String url = r.out().lines().filter(l -> l.startsWith("Http  http://127.0.0.1:")).findFirst()
                .map(l -> l.split("\\s+")[1]).orElseThrow(() -> new AssertionError("no VIP URL in\n" + r.out()));
        assertThat(servedBy(url, Set.of("WebRole1_IN_0", "WebRole1_IN_1"))).containsExactlyInAnyOrder(
                "WebRole1_IN_0", "WebRole1_IN_1");
        assertThat(get(url)).contains("Hello from csemu");
    }

    @Test
    @Order(4)
    void statusJsonGivesEndpointsAndInstances() throws Exception {
        JsonNode d = onlyDeployment();
        assertThat(d.get("name").asText()).isEqualTo("hello-web");
        assertThat(d.get("slot").asText()).isEqualTo("Production");
        assertThat(d.get("status").asText()).isEqualTo("Running");
        assertThat(d.get("endpoints").get(0).get("name").asText()).isEqualTo("Http");
        assertThat(d.get("endpoints").get(0).get("url").asText()).startsWith("http://127.0.0.1:");
        assertThat(d.get("instances")).hasSize(2);
        for (JsonNode i : d.get("instances")) {
            assertThat(i.get("role").asText()).isEqualTo("WebRole1");
            assertThat(i.get("state").asText()).isEqualTo("ReadyRole");
            assertThat(i.get("inRotation").asBoolean()).isTrue();
            assertThat(i.get("address").asText()).startsWith("127.");
        }
        assertThat(d.get("instances").get(1).get("updateDomain").asInt()).isEqualTo(1);
        assertThat(d.get("instances").get(1).get("faultDomain").asInt()).isEqualTo(1);
        LiveDaemon.Result text = daemon.csemu("status");
        assertThat(text.out()).contains("WebRole1_IN_1").contains("dashboard: http://127.0.0.1:");
        LiveDaemon.Result ps = daemon.csemu("ps");
        assertThat(ps.code()).isEqualTo(ExitCodes.OK);
    }

    @Test
    @Order(5)
    void aWrongTokenExits4() throws IOException {
        String good = daemon.token();
        Files.writeString(daemon.data.tokenFile(), "not-the-token");
        try {
            LiveDaemon.Result r = daemon.csemu("status");
            assertThat(r.code()).as(r.all()).isEqualTo(ExitCodes.UNAUTHORIZED);
        } finally {
            Files.writeString(daemon.data.tokenFile(), good);
        }
        assertThat(daemon.csemu("status").code()).isEqualTo(ExitCodes.OK);
    }

    @Test
    @Order(6)
    void theWiredApiRefusesBadTokensRebindingAndBadBodiesAndStaysUp() throws Exception {
        int port = daemon.apiPort();
        String auth = "Bearer " + daemon.token();
        RawHttp.Response noToken = RawHttp.send(port, "GET", "/api/v1/deployments", Map.of(), null);
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.body()).contains("\"code\":\"Unauthorized\"");
        RawHttp.Response wrong = RawHttp.send(port, "GET", "/api/v1/deployments", Map.of("Authorization", "Bearer x"), null);
        assertThat(wrong.status()).isEqualTo(401);
        RawHttp.Response rebound = RawHttp.send(port, "GET", "/api/v1/deployments",
                Map.of("Host", "evil.example:" + port, "Authorization", auth), null);
        assertThat(rebound.status()).isEqualTo(403);
        assertThat(rebound.body()).contains("ForbiddenHost");
        RawHttp.Response origin = RawHttp.send(port, "GET", "/api/v1/deployments",
                Map.of("Origin", "http://evil.example", "Authorization", auth), null);
        assertThat(origin.status()).isEqualTo(403);
        assertThat(origin.body()).contains("ForbiddenOrigin");
        RawHttp.Response malformed = RawHttp.send(port, "POST", "/api/v1/deployments/hello-web/roles/WebRole1/scale",
                Map.of("Authorization", auth, "Content-Type", "application/json"),
                "{\"count\": ".getBytes(StandardCharsets.UTF_8));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).get("code").asText()).isEqualTo("BadRequest");
        byte[] huge = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        RawHttp.Response tooBig = RawHttp.send(port, "POST", "/api/v1/deployments/hello-web/roles/WebRole1/scale",
                Map.of("Authorization", auth, "Content-Type", "application/json"), huge);
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(JSON.readTree(tooBig.body()).get("code").asText()).isEqualTo("PayloadTooLarge");
        RawHttp.Response unknownInstance = RawHttp.send(port, "POST",
                "/api/v1/deployments/hello-web/instances/WebRole1_IN_7/reboot", Map.of("Authorization", auth), null);
        assertThat(unknownInstance.status()).isEqualTo(404);
        assertThat(unknownInstance.body()).contains("InstanceNotFound");
        // nothing but loopback can even connect: the API and the VIP (and the instances' forwards that may share
        // its port number on their own addresses) listen in 127.0.0.0/8 only
        int vipPort = onlyDeployment().get("endpoints").get(0).get("port").asInt();
        assertThat(listeners(port)).isNotEmpty().allMatch(a -> a.startsWith("127."));
        assertThat(listeners(vipPort)).isNotEmpty().allMatch(a -> a.startsWith("127."))
                .contains("127.0.0.1");
        // still up, nothing changed
        JsonNode d = onlyDeployment();
        assertThat(d.get("instances")).hasSize(2);
        assertThat(d.get("status").asText()).isEqualTo("Running");
    }

    @Test
    @Order(7)
    void fiftyConcurrentClientsCauseNoErrorAndLoseNoState() throws Exception {
        int port = daemon.apiPort();
        String auth = "Bearer " + daemon.token();
        String base = "http://127.0.0.1:" + port + "/api/v1/deployments/hello-web";
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Future<?>> clients = new ArrayList<>();
        try {
            for (int c = 0; c < 50; c++) {
                clients.add(pool.submit(() -> {
                    go.await();
                    HttpResponse<String> reboot = http.send(HttpRequest.newBuilder(URI.create(base
                            + "/instances/WebRole1_IN_0/reboot")).header("Authorization", auth)
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                    statuses.merge(reboot.statusCode(), 1, Integer::sum);
                    if (reboot.statusCode() == 202) {
                        accepted.incrementAndGet();
                    } else if (reboot.statusCode() == 409) {
                        assertThat(reboot.body()).contains("IllegalStateTransition");
                        refused.incrementAndGet();
                    }
                    for (int k = 0; k < 10; k++) {
                        String path = switch (k % 4) {
                            case 0 -> "";
                            case 1 -> "/instances/WebRole1_IN_1";
                            case 2 -> "/events?limit=5";
                            default -> "/instances/WebRole1_IN_1/console?tail=3";
                        };
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                                .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString());
                        statuses.merge(r.statusCode(), 1, Integer::sum);
                        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : clients) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses.keySet()).as("statuses %s", statuses).allMatch(s -> s == 200 || s == 202 || s == 409);
        assertThat(accepted.get()).isGreaterThanOrEqualTo(1);
        assertThat(accepted.get() + refused.get()).isEqualTo(50);
        // every accepted reboot is in the event log once, and the instance comes back
        assertThat(Poller.every(Duration.ofSeconds(1)).within(Deadline.after(Duration.ofMinutes(4)),
                () -> allReady(onlyDeployment(), 2))).isTrue();
        LiveDaemon.Result events = daemon.csemu("events", "--json", "--limit", "10000", "-d", "hello-web");
        long reboots = JSON.readTree(events.out()).findValues("message").stream()
                .filter(m -> m.asText().startsWith("reboot:")).count();
        assertThat(reboots).as(events.out()).isEqualTo(accepted.get());
    }

    /** The dashboard in headless Chromium: it lists the instances, and its reimage button changes a state. */
    @Test
    @Order(8)
    void dashboardListsInstancesAndItsReimageButtonChangesTheState() throws Exception {
        LiveDaemon.Result url = daemon.csemu("dashboard");
        assertThat(url.code()).as(url.all()).isEqualTo(ExitCodes.OK);
        String address = url.out().trim();
        assertThat(address).matches("http://127\\.0\\.0\\.1:\\d+/#token=.+");
        Path shots = Path.of("target", "dashboard");
        try (Chromium browser = Chromium.start()) {
            browser.navigate(address);
            String rows = "document.querySelectorAll('tr[data-instance]').length";
            assertThat(Poller.every(Duration.ofMillis(200)).within(Deadline.after(Duration.ofSeconds(30)),
                    () -> browser.eval(rows).asInt() == 2)).as("the page lists both instances").isTrue();
            assertThat(browser.eval("location.hash").asText()).as("the token leaves the address bar").isEmpty();
            assertThat(browser.eval("sessionStorage.getItem('csemu.token') !== null").asBoolean()).isTrue();
            String stateOf = "document.querySelector('tr[data-instance=\"WebRole1_IN_1\"] td.state').textContent";
            assertThat(browser.eval(stateOf).asText()).isEqualTo("ReadyRole");
            assertThat(browser.eval("document.querySelector('.endpoints a').href").asText())
                    .startsWith("http://127.0.0.1:");
            browser.screenshot(shots.resolve("before-reimage.png"));
            browser.eval("document.querySelector('tr[data-instance=\"WebRole1_IN_1\"] button[data-action=\"reimage\"]').click()");
            assertThat(Poller.every(Duration.ofMillis(100)).within(Deadline.after(Duration.ofSeconds(30)),
                    () -> !browser.eval(stateOf).asText().equals("ReadyRole")))
                    .as("the reimage click changes the instance's state on the page").isTrue();
            browser.screenshot(shots.resolve("after-reimage.png"));
            assertThat(Poller.every(Duration.ofMillis(200)).within(Deadline.after(Duration.ofSeconds(30)), () -> browser.eval(
                    "document.getElementById('events').textContent").asText().contains("reimage")))
                    .as("the event list shows the reimage").isTrue();
            assertThat(Poller.every(Duration.ofMillis(500)).within(Deadline.after(Duration.ofMinutes(4)),
                    () -> browser.eval(stateOf).asText().equals("ReadyRole"))).as("back to Ready on the page").isTrue();
            browser.screenshot(shots.resolve("ready-again.png"));

            // a terminal in the page: keys typed into xterm.js reach a login shell in the guest, as the role's user
            browser.eval("document.querySelector('tr[data-instance=\"WebRole1_IN_0\"] button[data-action=\"shell\"]').click()");
            awaitTerminal(browser, "terminal.status === 'connected'", "the terminal connects");
            typeInto(browser, "tty; id -un; echo dash-$((6*7))");
            awaitTerminal(browser, "terminalText().includes('dash-42')", "the shell answers in the page");
            assertThat(browser.eval(TERMINAL_TEXT).asText()).contains("/dev/hvc0").contains("\ncsemu\n");
            browser.screenshot(shots.resolve("terminal.png"));
            typeInto(browser, "exit 4");
            awaitTerminal(browser, "terminal.status === 'exited with 4'", "the exit code shows");
            // root, then the close button hangs it up; the CLI's next shell opens (the terminal is free again)
            browser.eval("document.querySelector('tr[data-instance=\"WebRole1_IN_0\"] button[data-action=\"shell-elevated\"]').click()");
            awaitTerminal(browser, "terminal.status === 'connected'", "the root terminal connects");
            typeInto(browser, "echo uid-$(id -u)");
            awaitTerminal(browser, "terminalText().includes('uid-0')", "the elevated shell runs as root");
            browser.eval("document.getElementById('terminal-close').click()");
        }
        try (InteractiveShell after = daemon.shell("WebRole1_IN_0", List.of())) {
            after.type("echo after-$((1+1))\n");
            after.awaitScreen("after-2", Duration.ofSeconds(60));
            after.type("exit\n");
            assertThat(after.await(Duration.ofSeconds(60)).code()).isEqualTo(0);
        }
        assertThat(Files.size(shots.resolve("terminal.png"))).isGreaterThan(1000);
        assertThat(Files.size(shots.resolve("after-reimage.png"))).isGreaterThan(1000);
        assertThat(allReady(onlyDeployment(), 2)).isTrue();
    }

    /** The xterm.js screen's text, line by line (trailing blanks trimmed). */
    private static final String TERMINAL_TEXT = "(() => { const b = terminal.term.buffer.active; let s = '';"
            + " for (let i = 0; i < b.length; i++) s += b.getLine(i).translateToString(true) + '\\n'; return s; })()";

    private static void awaitTerminal(Chromium browser, String condition, String what) throws Exception {
        String js = "(() => { const terminalText = () => " + TERMINAL_TEXT + "; return " + condition + "; })()";
        assertThat(Poller.every(Duration.ofMillis(200)).within(Deadline.after(Duration.ofSeconds(60)),
                () -> browser.eval(js).asBoolean())).as(what + "; status: " + evalQuietly(browser, "terminal.status")
                + "; screen:\n" + evalQuietly(browser, TERMINAL_TEXT)).isTrue();
    }

    private static String evalQuietly(Chromium browser, String js) {
        try {
            return browser.eval(js).asText();
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }

    /** Types a line the way a user does: one key event per character into xterm.js, then the Enter key. */
    private static void typeInto(Chromium browser, String line) throws Exception {
        browser.eval("terminal.term.focus()");
        for (char c : (line + "\r").toCharArray()) {
            String key = c == '\r' ? "Enter" : String.valueOf(c);
            com.fasterxml.jackson.databind.node.ObjectNode down = JSON.createObjectNode().put("type", "keyDown")
                    .put("key", key).put("text", String.valueOf(c)).put("unmodifiedText", String.valueOf(c));
            if (c == '\r') {
                down.put("code", "Enter").put("windowsVirtualKeyCode", 13);
            }
            browser.call("Input.dispatchKeyEvent", down);
            browser.call("Input.dispatchKeyEvent", JSON.createObjectNode().put("type", "keyUp").put("key", key));
        }
    }

    @Test
    @Order(9)
    void reimageLogsAndEvents() throws Exception {
        LiveDaemon.Result r = daemon.csemu("reimage", "WebRole1_IN_0", "--timeout", "5m");
        assertThat(r.code()).as(r.all()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("reimage WebRole1_IN_0: Succeeded").contains("WebRole1_IN_0: ReadyRole");
        LiveDaemon.Result events = daemon.csemu("events");
        assertThat(events.code()).isEqualTo(ExitCodes.OK);
        List<String> reimage = events.out().lines().filter(l -> l.contains("WebRole1_IN_0")).toList();
        String afterReimage = String.join("\n", reimage.subList(indexOf(reimage, "reimage:"), reimage.size()));
        assertThat(afterReimage).contains("-> CreatingVM").contains("-> StartingVM").contains("-> CreatingRole")
                .contains("-> ReadyRole");
        LiveDaemon.Result logs = daemon.csemu("logs", "WebRole1_IN_0", "--tail", "40");
        assertThat(logs.code()).as(logs.all()).isEqualTo(ExitCodes.OK);
        assertThat(logs.out()).contains("csemu-agent");
        assertThat(logs.out().lines().count()).isLessThanOrEqualTo(40);
        LiveDaemon.Result follow = daemon.csemu("events", "--follow", "--for", "2s", "-d", "hello-web");
        assertThat(follow.code()).as(follow.all()).isEqualTo(ExitCodes.OK);
        assertThat(follow.out()).contains("Preparing -> CreatingVM").contains("WebRole1_IN_1");
        LiveDaemon.Result logsFollow = daemon.csemu("logs", "WebRole1_IN_0", "--tail", "1", "--follow", "--for", "2s");
        assertThat(logsFollow.code()).as(logsFollow.all()).isEqualTo(ExitCodes.OK);
    }

    @Test
    @Order(10)
    void stopStartFaultUpdateAndImages() throws Exception {
        LiveDaemon.Result stop = daemon.csemu("stop", "WebRole1_IN_1", "--timeout", "3m");
        assertThat(stop.code()).as(stop.all()).isEqualTo(ExitCodes.OK);
        JsonNode stopped = instance(onlyDeployment(), "WebRole1_IN_1");
        assertThat(stopped.get("state").asText()).isEqualTo("StoppedVM");
        assertThat(stopped.get("inRotation").asBoolean()).isFalse();
        String url = onlyDeployment().get("endpoints").get(0).get("url").asText();
        for (int k = 0; k < 6; k++) {
            assertThat(get(url + "instance.txt").trim()).as("only the running instance serves").isEqualTo("WebRole1_IN_0");
        }
        LiveDaemon.Result start = daemon.csemu("start", "WebRole1_IN_1", "--timeout", "4m");
        assertThat(start.code()).as(start.all()).isEqualTo(ExitCodes.OK);
        assertThat(start.out()).contains("WebRole1_IN_1: ReadyRole");

        LiveDaemon.Result unknown = daemon.csemu("fault", "cosmic-ray", "WebRole1_IN_0");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        LiveDaemon.Result fault = daemon.csemu("fault", "kill-qemu", "WebRole1_IN_0");
        assertThat(fault.code()).as(fault.all()).isEqualTo(ExitCodes.OK);
        assertThat(Poller.every(Duration.ofMillis(500)).within(Deadline.after(Duration.ofMinutes(3)), () -> {
            String events = daemon.csemu("events", "-d", "hello-web").out();
            List<String> lines = events.lines().filter(l -> l.contains("WebRole1_IN_0")).toList();
            int crash = lines.size() - 1;
            while (crash >= 0 && !lines.get(crash).contains("-> RestartingRole")) {
                crash--;
            }
            return crash >= 0 && lines.subList(crash, lines.size()).stream().anyMatch(l -> l.contains("-> ReadyRole"));
        })).as("the killed instance is restarted by the fabric and Ready again").isTrue();

        Path cfg = HELLO_WEB.resolve("ServiceConfiguration.cscfg");
        LiveDaemon.Result same = daemon.csemu("update", cfg.toString());
        assertThat(same.code()).as(same.all()).isEqualTo(ExitCodes.OK);
        Path changed = Files.createTempFile("csemu-changed", ".cscfg");
        try {
            // a new setting value reaches the running role in place: Changing, Changed (the sample's hook renders
            // the page again), no restart and no rotation change, upgrade domain by upgrade domain
            int eventsBefore = (int) daemon.csemu("events", "-d", "hello-web").out().lines().count();
            Files.writeString(changed, Files.readString(cfg).replace("Hello from csemu", "Hello again"));
            LiveDaemon.Result applied = daemon.csemu("update", changed.toString());
            assertThat(applied.code()).as(applied.all()).isEqualTo(ExitCodes.OK);
            String vip = onlyDeployment().get("endpoints").get(0).get("url").asText();
            Set<String> greetedBy = new HashSet<>();
            assertThat(Poller.every(Duration.ofMillis(100)).within(Deadline.after(Duration.ofSeconds(60)), () -> {
                String page = get(vip);
                assertThat(page).as("every page after the update has the new greeting").contains("<h1>Hello again</h1>");
                greetedBy.add(page.replaceAll("(?s).*id=\"instance\">([^<]*)<.*", "$1"));
                return greetedBy.containsAll(Set.of("WebRole1_IN_0", "WebRole1_IN_1"));
            })).as("both instances serve the new greeting").isTrue();
            List<String> after = daemon.csemu("events", "-d", "hello-web").out().lines().skip(eventsBefore).toList();
            assertThat(after).as(String.join("\n", after))
                    .anyMatch(l -> l.contains("WebRole1_IN_0") && l.contains("configuration_changed"))
                    .anyMatch(l -> l.contains("WebRole1_IN_1") && l.contains("configuration_changed"))
                    .noneMatch(l -> l.contains("StoppingRole") || l.contains("StartingVM"));
            Files.writeString(changed, Files.readString(cfg).replace("name=\"Greeting\"", "name=\"Greting\""));
            LiveDaemon.Result invalid = daemon.csemu("update", changed.toString());
            assertThat(invalid.code()).as(invalid.all()).isEqualTo(ExitCodes.INVALID);
            assertThat(invalid.err()).containsPattern("csemu-changed\\d*\\.cscfg:\\d+:\\d+: error");
        } finally {
            Files.deleteIfExists(changed);
        }

        LiveDaemon.Result images = daemon.csemu("images", "list", "--json");
        assertThat(images.code()).as(images.all()).isEqualTo(ExitCodes.OK);
        JsonNode base = JSON.readTree(images.out()).get(0);
        assertThat(base.get("name").asText()).isEqualTo("csemu-base");
        assertThat(base.get("usedBy").toString()).contains("hello-web");
        LiveDaemon.Result inUse = daemon.csemu("images", "rm", "csemu-base");
        assertThat(inUse.code()).as(inUse.all()).isEqualTo(ExitCodes.INVALID);
        assertThat(inUse.err()).contains("used by");
        Path baseDir = LiveDaemon.BASE_IMAGE;
        LiveDaemon.Result add = daemon.csemu("images", "add", "alt-base", baseDir.resolve("rootfs.qcow2").toString(),
                "--kernel", baseDir.resolve("vmlinux").toString(), "--initrd", baseDir.resolve("initrd.img").toString(),
                "--cmdline", "console=ttyS0 root=/dev/vda rw quiet");
        assertThat(add.code()).as(add.all()).isEqualTo(ExitCodes.OK);
        LiveDaemon.Result two = daemon.csemu("images", "list");
        assertThat(two.out()).contains("alt-base").contains("csemu-base");
        LiveDaemon.Result rm = daemon.csemu("images", "rm", "alt-base");
        assertThat(rm.code()).as(rm.all()).isEqualTo(ExitCodes.OK);
        assertThat(daemon.csemu("images", "list").out()).doesNotContain("alt-base");
        assertThat(allReady(onlyDeployment(), 2)).isTrue();
    }

    /** Create Deployment with StartDeployment=false through the CLI and the daemon, then Update Deployment Status. */
    @Test
    @Order(11)
    void runSuspendedBindsTheVipStartsNoVmAndResumeServesIt() throws Exception {
        Path parked = Files.createTempDirectory("csemu-hello-parked");
        try {
            copyTree(HELLO_WEB, parked);
            Path csdef = parked.resolve("ServiceDefinition.csdef");
            Files.writeString(csdef, Files.readString(csdef).replace("name=\"HelloWeb\"", "name=\"HelloParked\""));
            Path cscfg = parked.resolve("ServiceConfiguration.cscfg");
            Files.writeString(cscfg, Files.readString(cscfg).replace("serviceName=\"HelloWeb\"",
                    "serviceName=\"HelloParked\"").replace("count=\"2\"", "count=\"1\""));
            LiveDaemon.Result r = daemon.csemu("run", parked.toString(), "--name", "parked", "--suspended");
            assertThat(r.code()).as(r.all()).isEqualTo(ExitCodes.OK);
            assertThat(r.out()).contains("creating parked suspended").contains("parked is Suspended")
                    .contains("csemu resume -d parked");
            String url = r.out().lines().filter(l -> l.startsWith("Http  http://127.0.0.1:")).findFirst()
                    .map(l -> l.split("\\s+")[1]).orElseThrow(() -> new AssertionError("no VIP URL in\n" + r.out()));
            JsonNode d = deployment("parked");
            String id = d.get("id").asText();
            assertThat(d.get("status").asText()).isEqualTo("Suspended");
            assertThat(d.get("instances")).hasSize(1);
            assertThat(instance(d, "WebRole1_IN_0").get("state").asText()).isEqualTo("StoppedDeallocated");
            assertThat(instance(d, "WebRole1_IN_0").get("inRotation").asBoolean()).isFalse();
            assertThat(runningDomains()).noneMatch(n -> n.contains(id));

            LiveDaemon.Result resume = daemon.csemu("resume", "-d", "parked", "--timeout", "5m");
            assertThat(resume.code()).as(resume.all()).isEqualTo(ExitCodes.OK);
            assertThat(resume.out()).contains("parked: ReadyRole").contains(url);
            assertThat(deployment("parked").get("status").asText()).isEqualTo("Running");
            assertThat(runningDomains()).anyMatch(n -> n.contains(id));
            assertThat(servedBy(url, Set.of("WebRole1_IN_0"))).containsExactly("WebRole1_IN_0");

            LiveDaemon.Result remove = daemon.csemu("remove", "-d", "parked", "--timeout", "3m");
            assertThat(remove.code()).as(remove.all()).isEqualTo(ExitCodes.OK);
        } finally {
            FileTrees.delete(parked);
        }
    }

    @Test
    @Order(12)
    void notReadyWithinTheTimeoutExits5WithTheInstancesLastStateAndConsole() throws Exception {
        Path other = Files.createTempDirectory("csemu-hello-other");
        try {
            copyTree(HELLO_WEB, other);
            Path csdef = other.resolve("ServiceDefinition.csdef");
            // a startup task that never ends keeps the instance from Ready however fast the guest boots (a quiet
            // machine once booted hello-web to Ready in 6 s, and this test then passed its own timeout)
            Files.writeString(other.resolve("WebRole1/hold.sh"), "sleep 600\n");
            Files.writeString(csdef, Files.readString(csdef).replace("name=\"HelloWeb\"", "name=\"HelloOther\"")
                    .replace("commandLine=\"sh make-page.sh\"", "commandLine=\"sh hold.sh\""));
            Path cscfg = other.resolve("ServiceConfiguration.cscfg");
            Files.writeString(cscfg, Files.readString(cscfg).replace("serviceName=\"HelloWeb\"",
                    "serviceName=\"HelloOther\"").replace("count=\"2\"", "count=\"1\""));
            LiveDaemon.Result r;
            try {
                r = daemon.csemu("run", other.toString(), "--name", "slow", "--wait-ready", "--timeout", "6s");
            } finally {
                // removed whatever the outcome, so a failure here does not leave two deployments to the next tests
                LiveDaemon.Result remove = daemon.csemu("remove", "-d", "slow", "--timeout", "3m");
                assertThat(remove.code()).as(remove.all()).isEqualTo(ExitCodes.OK);
            }
            assertThat(r.code()).as(r.all()).isEqualTo(ExitCodes.TIMEOUT);
            assertThat(r.err()).contains("is not Ready after 6 s").contains("WebRole1_IN_0: ");
            LiveDaemon.Result opTimeout = daemon.csemu("reboot", "WebRole1_IN_1", "--timeout", "1ms");
            assertThat(opTimeout.code()).as(opTimeout.all()).isEqualTo(ExitCodes.TIMEOUT);
            assertThat(Poller.every(Duration.ofSeconds(1)).within(Deadline.after(Duration.ofMinutes(3)),
                    () -> allReady(onlyDeployment(), 2))).isTrue();
        } finally {
            FileTrees.delete(other);
        }
    }

    @Test
    @Order(13)
    void scaleOutAndIn() throws Exception {
        LiveDaemon.Result out = daemon.csemu("scale", "WebRole1", "3", "--timeout", "5m");
        assertThat(out.code()).as(out.all()).isEqualTo(ExitCodes.OK);
        JsonNode d = onlyDeployment();
        assertThat(d.get("instances")).hasSize(3);
        assertThat(d.get("instances").get(2).get("id").asText()).isEqualTo("WebRole1_IN_2");
        String url = d.get("endpoints").get(0).get("url").asText();
        assertThat(servedBy(url, Set.of("WebRole1_IN_0", "WebRole1_IN_1", "WebRole1_IN_2"))).hasSize(3);
        LiveDaemon.Result in = daemon.csemu("scale", "WebRole1", "2", "--timeout", "5m");
        assertThat(in.code()).as(in.all()).isEqualTo(ExitCodes.OK);
        assertThat(onlyDeployment().get("instances")).hasSize(2);
    }

    /** csemu exec through the guest agent: the role's user or root, output and exit code, refused when stopped. */
    @Test
    @Order(14)
    void execRunsInTheGuestAsTheRoleOrElevatedAndIsRefusedWhenStopped() throws Exception {
        LiveDaemon.Result user = daemon.exec("WebRole1_IN_0", List.of(), "id -un; echo $CSEMU_INSTANCE_ID; pwd");
        assertThat(user.code()).as(user.all()).isEqualTo(ExitCodes.OK);
        assertThat(user.out().lines().toList()).containsExactly("csemu", "WebRole1_IN_0", "/csemu/approot");
        LiveDaemon.Result root = daemon.exec("WebRole1_IN_0", List.of("--elevated"), "id -u");
        assertThat(root.code()).as(root.all()).isEqualTo(ExitCodes.OK);
        assertThat(root.out().trim()).isEqualTo("0");
        LiveDaemon.Result failing = daemon.exec("WebRole1_IN_0", List.of(), "echo out; echo err >&2; exit 7");
        assertThat(failing.code()).as(failing.all()).isEqualTo(7);
        assertThat(failing.out().lines().toList()).containsExactlyInAnyOrder("out", "err");
        LiveDaemon.Result denied = daemon.exec("WebRole1_IN_0", List.of(), "touch /var/lib/exec-marker");
        assertThat(denied.code()).as("the role's user cannot write there: " + denied.all()).isNotEqualTo(0);
        LiveDaemon.Result write = daemon.exec("WebRole1_IN_0", List.of("--elevated"),
                "echo kept > /var/lib/exec-marker && sync");
        assertThat(write.code()).as(write.all()).isEqualTo(ExitCodes.OK);
        assertThat(daemon.exec("WebRole1_IN_0", List.of(), "cat /var/lib/exec-marker").out().trim())
                .isEqualTo("kept");
        // -i: this command's stdin, byte for byte (every byte value), read by the guest command as the role's user
        byte[] every = new byte[3 * 256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        String md5 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(every));
        LiveDaemon.Result piped = daemon.execWithStdin("WebRole1_IN_0", List.of(),
                "id -un; cat > /tmp/piped.bin; md5sum < /tmp/piped.bin; exit 3", every);
        assertThat(piped.code()).as(piped.all()).isEqualTo(3);
        assertThat(piped.out().lines().toList()).containsExactly("csemu", md5 + "  -");
        LiveDaemon.Result tooMuch = daemon.execWithStdin("WebRole1_IN_0", List.of(), "wc -c",
                new byte[org.csemu.fabric.api.FabricService.MAX_EXEC_STDIN_BYTES + 1]);
        assertThat(tooMuch.code()).as(tooMuch.all()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooMuch.err()).contains("more than 65536 bytes");

        LiveDaemon.Result stop = daemon.csemu("stop", "WebRole1_IN_1", "--timeout", "3m");
        assertThat(stop.code()).as(stop.all()).isEqualTo(ExitCodes.OK);
        LiveDaemon.Result refused = daemon.exec("WebRole1_IN_1", List.of(), "true");
        assertThat(refused.code()).as(refused.all()).isNotEqualTo(ExitCodes.OK);
        assertThat(refused.err()).contains("WebRole1_IN_1").contains("StoppedVM").contains("csemu start WebRole1_IN_1");
        LiveDaemon.Result noShell = daemon.csemu("shell", "WebRole1_IN_1");
        assertThat(noShell.code()).as(noShell.all()).isNotEqualTo(ExitCodes.OK);
        assertThat(noShell.err()).contains("WebRole1_IN_1").contains("StoppedVM").contains("csemu start WebRole1_IN_1");
        LiveDaemon.Result start = daemon.csemu("start", "WebRole1_IN_1", "--timeout", "5m");
        assertThat(start.code()).as(start.all()).isEqualTo(ExitCodes.OK);
        assertThat(Poller.every(Duration.ofSeconds(1)).within(Deadline.after(Duration.ofMinutes(3)),
                () -> allReady(onlyDeployment(), 2))).isTrue();
    }

    @Test
    @Order(15)
    void shellIsARealTerminalInTheGuestAsTheRoleOrElevatedOneAtATime() throws Exception {
        Duration answer = Duration.ofSeconds(60);
        try (InteractiveShell shell = daemon.shell("WebRole1_IN_0", List.of())) {
            // a terminal (the guest's virtio console), the role's user and environment, approot, the size we sent
            shell.type("tty; id -un; echo \"in=$CSEMU_INSTANCE_ID\"; pwd; stty size; echo up-$((40+2))\n");
            shell.awaitScreen("up-42", answer);
            assertThat(shell.screen()).contains("/dev/hvc0").contains("csemu\r\n").contains("in=WebRole1_IN_0")
                    .contains("/csemu/approot").contains("24 80");
            // ^C interrupts the foreground job, as on any terminal: the guest's line discipline sends SIGINT
            shell.type("sleep 300; echo slept\n");
            assertThat(Poller.every(Duration.ofMillis(200)).within(Deadline.after(answer),
                    () -> daemon.exec("WebRole1_IN_0", List.of(), "ps | grep -q '[s]leep 300$'").code() == 0)).isTrue();
            shell.type("\u0003");
            shell.type("echo after=$?\n");
            shell.awaitScreen("after=130", answer);
            // one terminal per guest: a second shell is refused while this one is open
            LiveDaemon.Result second = daemon.csemu("shell", "WebRole1_IN_0");
            assertThat(second.code()).as(second.all()).isNotEqualTo(ExitCodes.OK);
            assertThat(second.err()).contains("a shell is already open");
            shell.type("exit 3\n");
            LiveDaemon.Result r = shell.await(answer);
            assertThat(r.code()).as(r.all() + shell.screen()).isEqualTo(3);
        }
        try (InteractiveShell root = daemon.shell("WebRole1_IN_0", List.of("--elevated"))) {
            root.type("id -u; echo root-$((1+1))\n");
            root.awaitScreen("root-2", answer);
            assertThat(root.screen()).contains("0\r\n");
            LiveDaemon.Result r = root.endInputAndWait(answer);
            assertThat(r.code()).as("end of input ends the shell like ^D: " + r.all() + root.screen()).isEqualTo(0);
        }
        // a client that goes away hangs the terminal up: every process of the session gets SIGHUP, its background
        // jobs too (they lose the terminal when the shell dies first), and the next shell opens
        try (HttpTransport.Upgraded hungUp = daemon.client().openTerminal(
                DeploymentSelector.path(onlyDeployment().get("id").asText()) + "/instances/WebRole1_IN_0/shell")) {
            hungUp.out().write(TerminalFrames.frame(TerminalFrames.INPUT, java.nio.ByteBuffer.wrap(
                    "sleep 301 &\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).array());
            hungUp.out().flush();
            assertThat(Poller.every(Duration.ofMillis(200)).within(Deadline.after(answer),
                    () -> daemon.exec("WebRole1_IN_0", List.of(), "ps | grep -q '[s]leep 301$'").code() == 0)).isTrue();
        }
        assertThat(Poller.every(Duration.ofMillis(500)).within(Deadline.after(answer),
                () -> daemon.exec("WebRole1_IN_0", List.of(), "ps | grep -q '[s]leep 301$'").code() == 1))
                .as("the hung-up session's background job is gone").isTrue();
        try (InteractiveShell again = daemon.shell("WebRole1_IN_0", List.of())) {
            again.type("echo again-$((2+2))\n");
            again.awaitScreen("again-4", answer);
            again.type("exit\n");
            assertThat(again.await(answer).code()).isEqualTo(0);
        }
    }

    @Test
    @Order(16)
    void removeDeletesTheDeploymentAndItsVip() throws Exception {
        String url = onlyDeployment().get("endpoints").get(0).get("url").asText();
        LiveDaemon.Result r = daemon.csemu("remove", "--timeout", "5m");
        assertThat(r.code()).as(r.all()).isEqualTo(ExitCodes.OK);
        assertThat(Poller.every(Duration.ofMillis(500)).within(Deadline.after(Duration.ofSeconds(60)),
                () -> JSON.readTree(daemon.csemu("status", "--json").out()).isEmpty())).isTrue();
        assertThat(Poller.every(Duration.ofMillis(500)).within(Deadline.after(Duration.ofSeconds(30)), () -> {
            try {
                get(url);
                return false;
            } catch (IOException e) {
                return true;
            }
        })).as("the VIP listener closed").isTrue();
    }

    // ---- helpers

    private JsonNode onlyDeployment() throws IOException {
        LiveDaemon.Result r = daemon.csemu("status", "--json");
        assertThat(r.code()).as(r.all()).isEqualTo(ExitCodes.OK);
        JsonNode all = JSON.readTree(r.out());
        for (JsonNode d : all) {
            if (d.get("name").asText().equals("hello-web")) {
                return d;
            }
        }
        throw new AssertionError("no hello-web deployment in " + r.out());
    }

    private JsonNode deployment(String name) throws IOException {
        LiveDaemon.Result r = daemon.csemu("status", "--json");
        assertThat(r.code()).as(r.all()).isEqualTo(ExitCodes.OK);
        for (JsonNode d : JSON.readTree(r.out())) {
            if (d.get("name").asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no deployment " + name + " in " + r.out());
    }

    /** The names of the running libvirt domains ({@code virsh list --name}). */
    private static List<String> runningDomains() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("virsh", "-c", "qemu:///system", "list", "--name").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("virsh list").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** The local addresses of the TCP sockets listening on a port (IPv4 and IPv6), from /proc/net. */
    private static List<String> listeners(int port) throws IOException {
        List<String> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (f[3].equals("0A") && Integer.parseInt(local[1], 16) == port) {
                    String a = local[0];
                    if (a.length() == 32 && a.startsWith("0000000000000000FFFF0000")) {
                        a = a.substring(24); // an IPv4-mapped IPv6 socket: its IPv4 address
                    }
                    out.add(a.length() == 8 ? (Integer.parseInt(a.substring(6, 8), 16) + "."
                            + Integer.parseInt(a.substring(4, 6), 16) + "." + Integer.parseInt(a.substring(2, 4), 16)
                            + "." + Integer.parseInt(a.substring(0, 2), 16)) : "ipv6:" + a);
                }
            }
        }
        return out;
    }

    static JsonNode instance(JsonNode d, String id) {
        for (JsonNode i : d.get("instances")) {
            if (i.get("id").asText().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no instance " + id + " in " + d);
    }

    private static boolean allReady(JsonNode d, int count) {
        int ready = 0;
        for (JsonNode i : d.get("instances")) {
            ready += i.get("state").asText().equals("ReadyRole") ? 1 : 0;
        }
        return d.get("instances").size() == count && ready == count;
    }

    /** The instance ids that served {@code /instance.txt} through the VIP, asking until all expected answered. */
    static Set<String> servedBy(String url, Set<String> expected) throws Exception {
        Set<String> seen = new HashSet<>();
        Poller.every(Duration.ofMillis(100)).within(Deadline.after(Duration.ofSeconds(60)), () -> {
            try {
                seen.add(get(url + "instance.txt").trim());
            } catch (IOException e) {
                // not answering yet
            }
            return seen.containsAll(expected);
        });
        return seen;
    }

    static String get(String url) throws IOException, InterruptedException {
        // a new connection per request: the load balancer spreads connections, not requests
        HttpClient once = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpResponse<String> r = once.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return r.body();
    }

    private static int indexOf(List<String> lines, String needle) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains(needle)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + needle + "' in\n" + String.join("\n", lines));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
