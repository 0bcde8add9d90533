package org.csemu.fabric.vm;

import org.csemu.core.util.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a {@link DomainSpec} into libvirt domain XML with the DOM (so every value is escaped by the serializer),
 * and reads csemu's metadata back from a domain's XML.
 */
public final class DomainXml {

    public static final String QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0";
    private static final String NET_ID = "csemunet0";
    static final String NIC_SLOT = "0x1e";

    private DomainXml() {
    }

    public static String toXml(DomainSpec spec) {
        Document doc = newBuilder().newDocument();
        Element domain = doc.createElement("domain");
        domain.setAttribute("type", spec.virtType());
        domain.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:qemu", QEMU_NS);
        doc.appendChild(domain);

        text(domain, "name", spec.name());
        Element metadata = child(domain, "metadata");
        DomainMetadata meta = spec.metadata();
        Element instance = doc.createElementNS(DomainMetadata.NAMESPACE, DomainMetadata.PREFIX + ":" + DomainMetadata.ELEMENT);
        instance.setAttribute("dataDir", meta.dataDirId());
        instance.setAttribute("deployment", meta.deploymentId());
        instance.setAttribute("role", meta.roleName());
        instance.setAttribute("instance", meta.instanceId());
        instance.setAttribute("overlayGeneration", Integer.toString(meta.overlayGeneration()));
        metadata.appendChild(instance);

        Element memory = text(domain, "memory", Integer.toString(spec.memoryMiB()));
        memory.setAttribute("unit", "MiB");
        text(domain, "vcpu", Integer.toString(spec.vcpus()));

        Element os = child(domain, "os");
        Element type = text(os, "type", "hvm");
        type.setAttribute("arch", "x86_64");
        if (!"test".equals(spec.virtType())) {
            type.setAttribute("machine", "q35");
        }
        text(os, "kernel", spec.boot().kernel().toString());
        if (spec.boot().initrd() != null) {
            text(os, "initrd", spec.boot().initrd().toString());
        }
        text(os, "cmdline", spec.boot().cmdline());

        Element features = child(domain, "features");
        child(features, "acpi");
        if ("kvm".equals(spec.virtType())) {
            child(domain, "cpu").setAttribute("mode", "host-passthrough");
        }
        Element clock = child(domain, "clock");
        clock.setAttribute("offset", "utc");
        text(domain, "on_poweroff", "destroy");
        text(domain, "on_reboot", "restart");
        text(domain, "on_crash", "destroy");

        Element devices = child(domain, "devices");
        Element osDisk = disk(devices, spec.osDisk(), "qcow2", "vda", null, false);
        Element backing = child(osDisk, "backingStore");
        backing.setAttribute("type", "file");
        child(backing, "format").setAttribute("type", spec.base().format());
        Element backingSource = child(backing, "source");
        backingSource.setAttribute("file", spec.base().path().toString());
        Element noRelabel = child(backingSource, "seclabel");
        noRelabel.setAttribute("model", "dac");
        noRelabel.setAttribute("relabel", "no");
        child(backing, "backingStore");

        disk(devices, spec.configDrive(), "raw", "vdb", "csemu-config", true);
        if (spec.localDisk() != null) {
            disk(devices, spec.localDisk(), "raw", "vdc", "csemu-local", false);
        }

        Element usb = child(devices, "controller");
        usb.setAttribute("type", "usb");
        usb.setAttribute("model", "none");

        Element serial = child(devices, "serial");
        serial.setAttribute("type", "file");
        Element serialSource = child(serial, "source");
        serialSource.setAttribute("path", spec.consoleLog().toString());
        serialSource.setAttribute("append", "on");
        child(serial, "target").setAttribute("port", "0");

        Element channel = child(devices, "channel");
        channel.setAttribute("type", "unix");
        Element channelSource = child(channel, "source");
        channelSource.setAttribute("mode", "bind");
        channelSource.setAttribute("path", spec.agentSocket().toString());
        Element channelTarget = child(channel, "target");
        channelTarget.setAttribute("type", "virtio");
        channelTarget.setAttribute("name", spec.agentChannelName());

        // a virtio console: hvc0 in the guest, a real terminal for csemu shell (the serial port stays the boot log)
        Element console = child(devices, "console");
        console.setAttribute("type", "unix");
        Element consoleSource = child(console, "source");
        consoleSource.setAttribute("mode", "bind");
        consoleSource.setAttribute("path", spec.terminalSocket().toString());
        child(console, "target").setAttribute("type", "virtio");

        Element video = child(devices, "video");
        child(video, "model").setAttribute("type", "none");
        child(devices, "memballoon").setAttribute("model", "none");
        // pvpanic: a guest kernel panic reaches libvirt as CRASHED/PANICKED and <on_crash>destroy</on_crash> ends the
        // domain, so the fabric handles it as a crash at once instead of waiting for lost heartbeats
        child(devices, "panic").setAttribute("model", "isa");

        Element commandline = doc.createElementNS(QEMU_NS, "qemu:commandline");
        domain.appendChild(commandline);
        arg(commandline, "-netdev");
        arg(commandline, netdev(spec.forwards()));
        arg(commandline, "-device");
        // QEMU creates this device before libvirt's own, so it needs a fixed slot libvirt never assigns in this
        // domain: 0x1e on pcie.0 is only used for a dmi-to-pci bridge, which needs legacy PCI devices (we have none)
        arg(commandline, "virtio-net-pci,netdev=" + NET_ID + ",bus=pcie.0,addr=" + NIC_SLOT + ",romfile=");
        return serialize(doc);
    }

    /** The {@code -netdev user,...} value: user-mode networking, one {@code hostfwd} per forward. */
    static String netdev(List<PortForward> forwards) {
        StringBuilder value = new StringBuilder("user,id=" + NET_ID);
        for (PortForward forward : forwards) {
            value.append(",hostfwd=").append(forward.hostfwd());
        }
        return value.toString();
    }

    /** Reads csemu's metadata from a domain's XML; empty when the domain is not csemu's. */
    public static Optional<DomainMetadata> readMetadata(String domainXml) {
        Document doc = parse(domainXml);
        NodeList nodes = doc.getElementsByTagNameNS(DomainMetadata.NAMESPACE, DomainMetadata.ELEMENT);
        if (nodes.getLength() == 0) {
            return Optional.empty();
        }
        Element e = (Element) nodes.item(0);
        int generation;
        try {
            generation = Integer.parseInt(e.getAttribute("overlayGeneration"));
        } catch (NumberFormatException ex) {
            generation = 0;
        }
        return Optional.of(new DomainMetadata(e.getAttribute("dataDir"), e.getAttribute("deployment"),
                e.getAttribute("role"), e.getAttribute("instance"), generation));
    }

    /** The source files of a domain's disks, in device order (for cleanup of orphans). */
    public static List<Path> diskSources(String domainXml) {
        Document doc = parse(domainXml);
        List<Path> paths = new ArrayList<>();
        NodeList disks = doc.getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            for (Node n = disks.item(i).getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element source && source.getTagName().equals("source") && source.hasAttribute("file")) {
                    paths.add(Path.of(source.getAttribute("file")));
                }
            }
        }
        return paths;
    }

    /** Parses XML with DTDs and external entities disabled. */
    public static Document parse(String xml) {
        try {
            DocumentBuilder builder = newBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("invalid domain XML: " + e.getMessage(), e);
        }
    }

    private static Element disk(Element devices, Path file, String format, String dev, String serial, boolean readonly) {
        Element disk = child(devices, "disk");
        disk.setAttribute("type", "file");
        disk.setAttribute("device", "disk");
        Element driver = child(disk, "driver");
        driver.setAttribute("name", "qemu");
        driver.setAttribute("type", format);
        driver.setAttribute("discard", "unmap");
        child(disk, "source").setAttribute("file", file.toString());
        Element target = child(disk, "target");
        target.setAttribute("dev", dev);
        target.setAttribute("bus", "virtio");
        if (serial != null) {
            text(disk, "serial", serial);
        }
        if (readonly) {
            child(disk, "readonly");
        }
        return disk;
    }

    private static void arg(Element commandline, String value) {
        Element arg = commandline.getOwnerDocument().createElementNS(QEMU_NS, "qemu:arg");
        arg.setAttribute("value", value);
        commandline.appendChild(arg);
    }

    private static Element child(Element parent, String name) {
        Element e = parent.getOwnerDocument().createElement(name);
        parent.appendChild(e);
        return e;
    }

    private static Element text(Element parent, String name, String text) {
        Element e = child(parent, name);
        e.setTextContent(text);
        return e;
    }

    private static DocumentBuilder newBuilder() {
        try {
            return SecureXml.documentBuilderFactory().newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String serialize(Document doc) {
        try {
            Transformer transformer = SecureXml.transformerFactory().newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }
}
