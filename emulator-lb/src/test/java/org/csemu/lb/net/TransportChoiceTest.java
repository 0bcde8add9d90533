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

    @Test
    void withoutAForcedTransportTheDefaultNativeOneIsChosenOnLinux() {
        assertThat(Transport.choose(null, true)).isEqualTo(Transport.DEFAULT_NATIVE);
        assertThat(Transport.choose(" ", true)).isEqualTo(Transport.DEFAULT_NATIVE);
    }

    @Test
    void aForcedTransportIsHonoured() {
        assertThat(Transport.choose("epoll", true)).isEqualTo(Transport.Kind.EPOLL);
        assertThat(Transport.choose("io_uring", true)).isEqualTo(Transport.Kind.IO_URING);
        assertThat(Transport.choose("IO-URING", true)).isEqualTo(Transport.Kind.IO_URING);
        assertThat(Transport.choose("nio", true)).isEqualTo(Transport.Kind.NIO);
    }

    @Test
    void anUnknownTransportIsAClearError() {
        assertThatThrownBy(() -> Transport.choose("kqueue", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("csemu.lb.transport").hasMessageContaining("io_uring, epoll or nio");
    }
}
