package org.csemu.fabric.vm;

import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The driver against libvirt's in-process {@code test:///default} driver: fast, no daemon, no guest. */
class LibvirtHypervisorTest {

    private LibvirtHypervisor hypervisor;
    private final List<HypervisorEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        hypervisor = new LibvirtHypervisor("test:///default");
        hypervisor.subscribe(events::add);
    }

    @AfterEach
    void close() {
        hypervisor.close();
    }

    @Test
    void definesListsWithMetadataControlsAndRemovesDomains() throws Exception {
        assertThat(hypervisor.virtType()).isEqualTo("test");
        DomainSpec spec = DomainXmlTest.spec(hypervisor.virtType());
        String name = spec.name();
        hypervisor.define(spec);
        assertThat(hypervisor.state(name)).contains(DomainState.SHUT_OFF);

        hypervisor.start(name);
        assertThat(hypervisor.state(name)).contains(DomainState.RUNNING);
        assertThatThrownBy(() -> hypervisor.define(spec)).hasMessageContaining("is running");

        assertThat(hypervisor.listCsemuDomains()).filteredOn(d -> d.name().equals(name)).singleElement()
                .satisfies(d -> {
                    assertThat(d.metadata()).isEqualTo(spec.metadata());
                    assertThat(d.state()).isEqualTo(DomainState.RUNNING);
                    assertThat(d.uuid()).isNotBlank();
                });
        // the test driver's own domain has no csemu metadata and is not listed
        assertThat(hypervisor.listCsemuDomains()).noneMatch(d -> d.name().equals("test"));

        hypervisor.suspend(name);
        assertThat(hypervisor.state(name)).contains(DomainState.PAUSED);
        hypervisor.resume(name);
        assertThat(hypervisor.state(name)).contains(DomainState.RUNNING);
        assertThat(hypervisor.qemuPid(name)).isEmpty();

        hypervisor.destroy(name);
        assertThat(hypervisor.state(name)).contains(DomainState.SHUT_OFF);
        hypervisor.destroy(name); // idempotent

        // redefining an inactive domain replaces it (new overlay generation)
        hypervisor.define(spec.withMetadata(spec.metadata().withOverlayGeneration(4)));
        assertThat(hypervisor.listCsemuDomains()).filteredOn(d -> d.name().equals(name)).singleElement()
                .satisfies(d -> assertThat(d.metadata().overlayGeneration()).isEqualTo(4));

        hypervisor.undefine(name);
        assertThat(hypervisor.state(name)).isEmpty();
        hypervisor.undefine(name); // idempotent
        assertThatThrownBy(() -> hypervisor.start(name)).hasMessageContaining("no domain named " + name);

        Poller.standard().until("lifecycle events", Deadline.after(Duration.ofSeconds(10)), () ->
                events.stream().map(HypervisorEvent::kind).toList().containsAll(List.of(
                        HypervisorEvent.Kind.DEFINED, HypervisorEvent.Kind.STARTED, HypervisorEvent.Kind.SUSPENDED,
                        HypervisorEvent.Kind.RESUMED, HypervisorEvent.Kind.STOPPED, HypervisorEvent.Kind.UNDEFINED)));
        assertThat(events).allMatch(e -> e.domainName().equals(name) && e.uri().equals("test:///default"));
    }

    @Test
    void aMissingDaemonIsAClearError() {
        assertThatThrownBy(() -> new LibvirtHypervisor("qemu+unix:///system?socket=/nonexistent/libvirt-sock"))
                .isInstanceOf(HypervisorException.class).hasMessageContaining("cannot connect to libvirt");
    }
}
