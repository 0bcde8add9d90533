package org.csemu.fabric.vm;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HypervisorHostsTest {

    @Test
    void faultDomainsMapToHostsRoundRobin() throws Exception {
        try (HypervisorHosts hosts = HypervisorHosts.open(List.of("test:///default"))) {
            assertThat(hosts.forFaultDomain(0).uri()).isEqualTo("test:///default");
            assertThat(hosts.forFaultDomain(3)).isSameAs(hosts.forFaultDomain(0));
            assertThat(hosts.listCsemuDomains()).containsOnlyKeys("test:///default");
            assertThatThrownBy(() -> hosts.forFaultDomain(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void severalUrisAreOpenedInOrderAndAFailureClosesTheOthers() throws Exception {
        List<String> closed = new ArrayList<>();
        HypervisorHosts.Opener fake = uri -> {
            if (uri.contains("broken")) {
                throw new HypervisorException("cannot connect to " + uri);
            }
            LibvirtHypervisor real = new LibvirtHypervisor("test:///default");
            return (Hypervisor) java.lang.reflect.Proxy.newProxyInstance(Hypervisor.class.getClassLoader(),
                    new Class<?>[] {Hypervisor.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "uri" -> uri;
                        case "close" -> {
                            closed.add(uri);
                            real.close();
                            yield null;
                        }
                        default -> method.invoke(real, args);
                    });
        };
        try (HypervisorHosts hosts = HypervisorHosts.open(List.of("qemu+ssh://a/system", "qemu+ssh://b/system"), fake)) {
            assertThat(hosts.forFaultDomain(0).uri()).isEqualTo("qemu+ssh://a/system");
            assertThat(hosts.forFaultDomain(1).uri()).isEqualTo("qemu+ssh://b/system");
            assertThat(hosts.forFaultDomain(2).uri()).isEqualTo("qemu+ssh://a/system");
        }
        assertThat(closed).containsExactly("qemu+ssh://a/system", "qemu+ssh://b/system");
        closed.clear();
        assertThatThrownBy(() -> HypervisorHosts.open(List.of("qemu+ssh://a/system", "qemu+ssh://broken/system"), fake))
                .hasMessageContaining("broken");
        assertThat(closed).containsExactly("qemu+ssh://a/system");
        assertThatThrownBy(() -> HypervisorHosts.open(List.of("x", "x"), fake)).hasMessageContaining("distinct");
    }
}
