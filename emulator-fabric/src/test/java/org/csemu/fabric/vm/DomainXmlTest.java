package org.csemu.fabric.vm;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainXmlTest {

    static DomainSpec spec(String virtType) {
        Path dir = Path.of("/var/lib/csemu/deployments/d1/instances/WebRole_IN_0");
        return new DomainSpec(DomainNames.of("d1", "WebRole_IN_0"),
                new DomainMetadata("data-1", "d1", "WebRole", "WebRole_IN_0", 3), virtType, 1, 128,
                new DomainSpec.DirectBoot(Path.of("/img/vmlinux"), Path.of("/img/initrd.img"), "console=ttyS0 root=/dev/vda <&>"),
                dir.resolve("os.qcow2"), new DomainSpec.BaseImage(Path.of("/img/disk.qcow2"), "qcow2"),
                dir.resolve("config.tar"), dir.resolve("local.img"),
                List.of(PortForward.tcp("127.255.0.5", 8080, 80), PortForward.tcp("127.0.0.1", 20001, 9000)),
                dir.resolve("agent.sock"), DomainSpec.AGENT_CHANNEL, dir.resolve("terminal.sock"),
                dir.resolve("console.log"));
    }

    @Test
    void generatesTheDocumentedDomain() throws Exception {
        String xml = DomainXml.toXml(spec("qemu"));
        Document doc = DomainXml.parse(xml);
        XPath x = XPathFactory.newInstance().newXPath();
        assertThat(x.evaluate("/domain/@type", doc)).isEqualTo("qemu");
        assertThat(x.evaluate("/domain/name", doc)).isEqualTo("csemu-d1-WebRole_IN_0");
        assertThat(x.evaluate("/domain/memory", doc)).isEqualTo("128");
        assertThat(x.evaluate("/domain/memory/@unit", doc)).isEqualTo("MiB");
        assertThat(x.evaluate("/domain/vcpu", doc)).isEqualTo("1");
        assertThat(x.evaluate("/domain/os/type/@machine", doc)).isEqualTo("q35");
        assertThat(x.evaluate("/domain/os/kernel", doc)).isEqualTo("/img/vmlinux");
        assertThat(x.evaluate("/domain/os/initrd", doc)).isEqualTo("/img/initrd.img");
        assertThat(x.evaluate("/domain/os/cmdline", doc)).isEqualTo("console=ttyS0 root=/dev/vda <&>");
        assertThat(x.evaluate("/domain/on_reboot", doc)).isEqualTo("restart");
        // a guest kernel panic is reported by pvpanic and ends the domain: the fabric sees a crash at once
        assertThat(x.evaluate("/domain/on_crash", doc)).isEqualTo("destroy");
        assertThat(x.evaluate("/domain/devices/panic/@model", doc)).isEqualTo("isa");

        assertThat(x.evaluate("//disk[target/@dev='vda']/source/@file", doc)).endsWith("/os.qcow2");
        assertThat(x.evaluate("//disk[target/@dev='vda']/driver/@type", doc)).isEqualTo("qcow2");
        assertThat(x.evaluate("//disk[target/@dev='vda']/backingStore/source/@file", doc)).isEqualTo("/img/disk.qcow2");
        assertThat(x.evaluate("//disk[target/@dev='vda']/backingStore/format/@type", doc)).isEqualTo("qcow2");
        assertThat(x.evaluate("//disk[target/@dev='vda']/backingStore/source/seclabel/@relabel", doc)).isEqualTo("no");
        assertThat(x.evaluate("//disk[target/@dev='vda']/backingStore/source/seclabel/@model", doc)).isEqualTo("dac");
        assertThat(x.evaluate("//disk[target/@dev='vdb']/serial", doc)).isEqualTo("csemu-config");
        assertThat(x.evaluate("//disk[target/@dev='vdb']/driver/@type", doc)).isEqualTo("raw");
        assertThat(x.evaluate("count(//disk[target/@dev='vdb']/readonly)", doc)).isEqualTo("1");
        assertThat(x.evaluate("//disk[target/@dev='vdc']/serial", doc)).isEqualTo("csemu-local");
        assertThat(x.evaluate("count(//disk[target/@dev='vdc']/readonly)", doc)).isEqualTo("0");
        assertThat(x.evaluate("count(//disk[target/@bus!='virtio'])", doc)).isEqualTo("0");

        assertThat(x.evaluate("//controller[@type='usb']/@model", doc)).isEqualTo("none");
        assertThat(x.evaluate("//memballoon/@model", doc)).isEqualTo("none");
        assertThat(x.evaluate("//video/model/@type", doc)).isEqualTo("none");
        assertThat(x.evaluate("count(//interface)", doc)).isEqualTo("0");
        assertThat(x.evaluate("count(//graphics)", doc)).isEqualTo("0");
        assertThat(x.evaluate("//serial[@type='file']/source/@path", doc)).endsWith("/console.log");
        assertThat(x.evaluate("//channel[@type='unix']/source/@mode", doc)).isEqualTo("bind");
        assertThat(x.evaluate("//channel[@type='unix']/source/@path", doc)).endsWith("/agent.sock");
        assertThat(x.evaluate("//channel[@type='unix']/target/@name", doc)).isEqualTo("org.csemu.agent.0");
        assertThat(x.evaluate("//console[@type='unix']/source/@mode", doc)).isEqualTo("bind");
        assertThat(x.evaluate("//console[@type='unix']/source/@path", doc)).endsWith("/terminal.sock");
        assertThat(x.evaluate("//console[@type='unix']/target/@type", doc)).isEqualTo("virtio");

        NodeList args = doc.getElementsByTagNameNS(DomainXml.QEMU_NS, "arg");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < args.getLength(); i++) {
            values.add(((Element) args.item(i)).getAttribute("value"));
        }
        assertThat(values).containsExactly("-netdev",
                "user,id=csemunet0,hostfwd=tcp:127.255.0.5:8080-:80,hostfwd=tcp:127.0.0.1:20001-:9000",
                "-device", "virtio-net-pci,netdev=csemunet0,bus=pcie.0,addr=0x1e,romfile=");
        assertThat(xml).doesNotContain("0.0.0" + ".0").doesNotContain("<!DOCTYPE");

        assertThat(DomainXml.readMetadata(xml)).contains(new DomainMetadata("data-1", "d1", "WebRole", "WebRole_IN_0", 3));
        assertThat(DomainXml.diskSources(xml)).extracting(Path::toString)
                .allMatch(p -> p.startsWith("/var/lib/csemu/deployments/d1/"));
    }

    @Test
    void kvmGetsHostCpuAndTheTestDriverNoMachineType() throws Exception {
        XPath x = XPathFactory.newInstance().newXPath();
        Document kvm = DomainXml.parse(DomainXml.toXml(spec("kvm")));
        assertThat(x.evaluate("/domain/cpu/@mode", kvm)).isEqualTo("host-passthrough");
        Document test = DomainXml.parse(DomainXml.toXml(spec("test")));
        assertThat((Boolean) x.evaluate("boolean(/domain/os/type/@machine)", test, XPathConstants.BOOLEAN)).isFalse();
    }

    @Test
    void foreignDomainsHaveNoMetadataAndDoctypesAreRefused() {
        assertThat(DomainXml.readMetadata("<domain type='kvm'><name>other</name></domain>")).isEmpty();
        assertThatThrownBy(() -> DomainXml.readMetadata("<!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><domain>&e;</domain>"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forwardsAndNamesAreValidated() {
        assertThatThrownBy(() -> PortForward.tcp("8.8.8.8", 80, 80)).hasMessageContaining("127.0.0.0/8");
        assertThatThrownBy(() -> PortForward.tcp("localhost", 80, 80)).hasMessageContaining("literal");
        assertThatThrownBy(() -> PortForward.tcp("127.0.0.1", 0, 80)).hasMessageContaining("host port");
        assertThat(PortForward.tcp("127.255.0.9", 1, 2).hostfwd()).isEqualTo("tcp:127.255.0.9:1-:2");
        assertThat(new PortForward(PortForward.Protocol.UDP, "127.0.0.1", 5, 6).hostfwd()).isEqualTo("udp:127.0.0.1:5-:6");
        assertThat(DomainNames.of("dep 1", "Web/Role_IN_0")).isEqualTo("csemu-dep_1-Web_Role_IN_0");
        assertThat(DomainNames.deploymentPrefix("d1")).isEqualTo("csemu-d1-");
    }

    @Test
    void acceleratorIsTcgUnlessKvmReallyWorks() {
        assertThat(Accelerator.choose("test:///default", "")).isEqualTo("test");
        assertThat(Accelerator.choose("qemu:///system", "<guest><arch name='x86_64'><domain type='qemu'/></arch></guest>"))
                .isEqualTo("qemu");
        // remote hosts are judged by their capabilities only
        assertThat(Accelerator.choose("qemu+ssh://h/system", "<domain type='kvm'/>")).isEqualTo("kvm");
        if (!Accelerator.cpuHasVirtualization()) {
            assertThat(Accelerator.choose("qemu:///system", "<domain type='kvm'/>")).isEqualTo("qemu");
        }
    }
}
