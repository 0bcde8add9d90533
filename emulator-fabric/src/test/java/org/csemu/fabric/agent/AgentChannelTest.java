package org.csemu.fabric.agent;

import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The host end of the channel against a fake QEMU socket that plays the guest agent. */
class AgentChannelTest {

    @TempDir
    Path tmp;

    static String line(String type, String boot, long seq, String extra) {
        return "{\"v\":1,\"type\":\"" + type + "\",\"boot\":\"" + boot + "\",\"seq\":" + seq + (extra.isEmpty() ? "" : "," + extra) + "}\n";
    }

    static void write(SocketChannel c, String text) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    @Test
    void connectsOnceTheSocketAppearsDropsStaleLinesMatchesAcksAndReconnects() throws Exception {
        Path socket = tmp.resolve("agent.sock");
        List<AgentMessage> received = new CopyOnWriteArrayList<>();
        List<Boolean> connections = new CopyOnWriteArrayList<>();
        try (AgentChannel channel = new AgentChannel(socket, new AgentListener() {
            @Override
            public void onMessage(AgentMessage message) {
                received.add(message);
            }

            @Override
            public void onConnection(boolean connected) {
                connections.add(connected);
            }
        }).start()) {
            assertThat(channel.isConnected()).isFalse();
            // QEMU binds the socket only after the channel started polling for it
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                SocketChannel guest = server.accept();
                channel.awaitConnected(Deadline.after(Duration.ofSeconds(5)));
                write(guest, line("hello", "A", 1, "\"agent\":\"csemu-agent/1.0\",\"instance\":\"W_IN_0\",\"firstBoot\":true")
                        + "not json at all\n"
                        + line("setup", "A", 2, "\"phase\":\"applied\",\"restart\":true")
                        + line("setup", "A", 2, "\"phase\":\"applied\",\"restart\":true") // duplicate seq
                        + line("hello", "B", 1, "\"firstBoot\":false")
                        + line("heartbeat", "A", 3, "\"status\":\"Starting\"") // late line of a retired boot
                        + line("task", "B", 2, "\"index\":0,\"state\":\"failed\",\"exitCode\":7,\"outputTail\":\"boom\"")
                        + line("heartbeat", "B", 3, "\"status\":\"Starting\""));
                Poller.standard().until("messages", Deadline.after(Duration.ofSeconds(5)), () -> received.size() >= 5);
                assertThat(received).extracting(m -> m.header().type() + "/" + m.header().boot() + "/" + m.header().seq())
                        .containsExactly("hello/A/1", "setup/A/2", "hello/B/1", "task/B/2", "heartbeat/B/3");
                AgentMessage.Task task = (AgentMessage.Task) received.get(3);
                assertThat(task.failed()).isTrue();
                assertThat(task.exitCode()).isEqualTo(7);
                assertThat(task.outputTail()).isEqualTo("boom");
                assertThat(channel.lastHeartbeat()).isPresent();
                assertThat(channel.currentBoot()).contains("B");

                // host -> guest: stopping, answered by an ack with the same id
                CompletableFuture<AgentMessage.Ack> ack = channel.sendStopping("reboot");
                BufferedReader fromHost = new BufferedReader(new InputStreamReader(Channels.newInputStream(guest), StandardCharsets.UTF_8));
                String sent = fromHost.readLine();
                assertThat(sent).contains("\"type\":\"stopping\"").contains("\"then\":\"reboot\"").contains("\"v\":1");
                String id = sent.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                write(guest, line("ack", "B", 4, "\"id\":\"other\"") + line("ack", "B", 5, "\"id\":\"" + id + "\",\"cancel\":false"));
                assertThat(ack.get(5, TimeUnit.SECONDS).id()).isEqualTo(id);

                // the stream ends (QEMU restarted): the channel reconnects by itself
                guest.close();
                SocketChannel again = server.accept();
                Poller.standard().until("reconnect", Deadline.after(Duration.ofSeconds(5)), () -> connections.size() >= 3);
                assertThat(connections).containsExactly(true, false, true);
                write(again, line("hello", "C", 1, "\"firstBoot\":false"));
                Poller.standard().until("hello after reconnect", Deadline.after(Duration.ofSeconds(5)),
                        () -> received.get(received.size() - 1).header().boot().equals("C"));
                again.close();
            }
        }
        assertThat(Files.exists(socket)).isTrue();
    }

    @Test
    void sendingWithoutAConnectionFailsClearly() {
        try (AgentChannel channel = new AgentChannel(tmp.resolve("none.sock"), m -> { })) {
            assertThatThrownBy(() -> channel.sendStopping("poweroff")).hasMessageContaining("not connected");
            assertThatThrownBy(() -> channel.start().awaitConnected(Deadline.after(Duration.ofMillis(200))))
                    .hasMessageContaining("did not happen within 200 ms");
        }
    }

    @Test
    void codecParsesEveryGuestTypeAndRendersHostMessages() {
        assertThat(AgentCodec.parse(line("service", "b", 1, "\"name\":\"site:Web:80\",\"state\":\"started\",\"pid\":185")))
                .isInstanceOfSatisfying(AgentMessage.Service.class, s -> {
                    assertThat(s.pid()).isEqualTo(185L);
                    assertThat(s.exitCode()).isNull();
                });
        assertThat(AgentCodec.parse(line("status", "b", 2, "\"status\":\"Ready\"")))
                .isInstanceOfSatisfying(AgentMessage.Status.class, s -> assertThat(s.status()).isEqualTo("Ready"));
        assertThat(AgentCodec.parse(line("log", "b", 3, "\"level\":\"info\",\"message\":\"m\""))).isInstanceOf(AgentMessage.Log.class);
        assertThat(AgentCodec.parse(line("future-type", "b", 4, ""))).isInstanceOf(AgentMessage.Unknown.class);
        assertThat(AgentCodec.parse(line("task", "b", 5, "\"index\":1,\"state\":\"exited\",\"exitCode\":\"3\"")))
                .isInstanceOfSatisfying(AgentMessage.Task.class, t -> assertThat(t.exitCode()).isEqualTo(3));
        assertThatThrownBy(() -> AgentCodec.parse("{\"type\":\"hello\"}")).hasMessageContaining("boot");
        assertThatThrownBy(() -> AgentCodec.parse("[1]")).hasMessageContaining("object");
        assertThat(AgentCodec.changes("changing", "i1", List.of(java.util.Map.of("kind", "setting", "name", "A"))))
                .isEqualTo("{\"v\":1,\"type\":\"changing\",\"id\":\"i1\",\"changes\":[{\"kind\":\"setting\",\"name\":\"A\"}]}");
        assertThat(AgentCodec.stopping("i2", "poweroff")).doesNotContain("\n");
    }
}
