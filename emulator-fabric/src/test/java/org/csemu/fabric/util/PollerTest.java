package org.csemu.fabric.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PollerTest {

    @TempDir
    Path tmp;

    @Test
    void returnsTheFirstValueAndReportsTheLastErrorOnTimeout() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        assertThat(Poller.standard().until("third call", Deadline.after(Duration.ofSeconds(5)),
                (Poller.Probe<String>) () -> calls.incrementAndGet() >= 3 ? Optional.of("done") : Optional.empty())).isEqualTo("done");
        assertThatThrownBy(() -> Poller.standard().until("never", Deadline.after(Duration.ofMillis(50)), (Poller.Probe<String>) () -> {
            throw new IOException("socket missing");
        })).isInstanceOf(TimeoutException.class).hasMessageContaining("never did not happen within 50 ms")
                .hasMessageContaining("socket missing");
    }

    @Test
    void withinSaysWhetherTheCheckPassedAndLetsItsExceptionThrough() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Poller every1ms = Poller.every(Duration.ofMillis(1));
        assertThat(every1ms.within(Deadline.after(Duration.ofSeconds(5)), () -> calls.incrementAndGet() >= 3)).isTrue();
        assertThat(calls).hasValue(3);
        assertThat(every1ms.within(Deadline.after(Duration.ofMillis(20)), () -> false)).isFalse();
        assertThatThrownBy(() -> every1ms.within(Deadline.after(Duration.ofMinutes(5)), () -> {
            throw new IOException("the daemon exited");
        })).isInstanceOf(IOException.class).hasMessage("the daemon exited");
    }

    @Test
    void deadlineArithmetic() {
        Deadline d = Deadline.after(Duration.ofSeconds(10));
        assertThat(d.expired()).isFalse();
        assertThat(d.cappedAt(Duration.ofMillis(1)).budget()).isEqualTo(Duration.ofMillis(1));
        assertThat(d.cappedAt(Duration.ofHours(1))).isSameAs(d);
        assertThatThrownBy(() -> Deadline.after(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Deadline.after(Duration.ZERO).check("x")).isInstanceOf(TimeoutException.class);
    }

    @Test
    void processRunnerCapturesOutputAndKillsWhatOverruns() throws Exception {
        ProcessRunner.Result r = ProcessRunner.run(Duration.ofSeconds(10), "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThatThrownBy(r::orThrow).hasMessageContaining("exited with 3: err");
        assertThatThrownBy(() -> ProcessRunner.run(Duration.ofMillis(200), "sleep", "30")).hasMessageContaining("killed pid");
        assertThatThrownBy(() -> ProcessRunner.run(Duration.ofSeconds(1), "no-such-tool-csemu")).hasMessageContaining("is it installed");
    }
}
