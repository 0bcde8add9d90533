package org.csemu.lb.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransportChoiceTest {

    @Test
    void nativeNotPreferredMeansNioWhateverIsForced() {
        assertThat(Transport.choose(null, false)).isEqualTo(Transport.Kind.NIO);
        assertThat(Transport.choose("io_uring", false)).isEqualTo(Transport.Kind.NIO);
    }

    /** io_uring where the kernel allows it (it may be disabled by sysctl or seccomp), else epoll: never NIO on Linux. */
    static Transport.Kind expectedNative() {
        return io.netty.channel.uring.IoUring.isAvailable() ? Transport.Kind.IO_URING : Transport.Kind.EPOLL;
    }

    @Test
    void withoutAForcedTransportTheDefaultNativeOneIsChosenOnLinux() {
        assertThat(Transport.DEFAULT_NATIVE).isEqualTo(Transport.Kind.IO_URING);
        assertThat(io.netty.channel.epoll.Epoll.isAvailable()).as("epoll on Linux").isTrue();
        assertThat(Transport.choose(null, true)).isEqualTo(expectedNative());
        assertThat(Transport.choose(" ", true)).isEqualTo(expectedNative());
    }

    @Test
    void aForcedTransportIsHonoured() {
        assertThat(Transport.choose("epoll", true)).isEqualTo(Transport.Kind.EPOLL);
        assertThat(Transport.choose("nio", true)).isEqualTo(Transport.Kind.NIO);
        if (io.netty.channel.uring.IoUring.isAvailable()) {
            assertThat(Transport.choose("io_uring", true)).isEqualTo(Transport.Kind.IO_URING);
            assertThat(Transport.choose("IO-URING", true)).isEqualTo(Transport.Kind.IO_URING);
        } else {
            assertThatThrownBy(() -> Transport.choose("io_uring", true)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("io_uring but it is not available here");
        }
    }

    @Test
    void anUnknownTransportIsAClearError() {
        assertThatThrownBy(() -> Transport.choose("kqueue", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("csemu.lb.transport").hasMessageContaining("io_uring, epoll or nio");
    }
}
