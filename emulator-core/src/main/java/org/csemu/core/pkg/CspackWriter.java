package org.csemu.core.pkg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.csemu.core.pkg.PackageManifest.PackageFile;
import org.csemu.core.pkg.PackageManifest.RoleLayout;

/**
 * Writes a verified package in the Azure SDK's current format ({@code csemu pack --format cspack}): an OPC zip with
 * {@code [Content_Types].xml}, {@code _rels/.rels} pointing at {@code package.xml}, the definition as content
 * {@code ServiceDefinition/ServiceDefinition.csdef}, one {@code LocalContent/<sha-256>} blob per distinct file (SHA-256,
 * base64, in {@code package.xml}) and a {@code Roles/<role>} layout mapping {@code \approot\...} and
 * {@code \sitesroot\<n>\...} to them. It has none of what CSPack adds from the SDK (the generated {@code .rd}/{@code .rdsc},
 * each role's {@code RoleModel.xml} and Windows host, the named streams): see docs/packages.md for how far that is
 * from what the cloud accepted. Deterministic like {@link PackageBuilder}: fixed order, one timestamp.
 */
public final class CspackWriter {

    private static final String TIME = "1980-01-01T00:00:00Z";
    private static final String CONTENT_TYPES = "[Content_Types].xml";

    private CspackWriter() {
    }

    /** Writes {@code reader}'s package to {@code output} (replaced atomically). */
    public static void write(PackageReader reader, Path output) throws PackageException, IOException {
        Path absolute = output.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(temp))) {
                writeParts(reader, zip);
                zip.finish();
            }
            try {
                Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** One blob: its part, length and SHA-256 (hex). */
    private record Blob(String part, long length, String sha256) {
    }

    private static void writeParts(PackageReader reader, ZipArchiveOutputStream zip) throws PackageException, IOException {
        PackageManifest m = reader.manifest();
        Map<String, Blob> blobs = new LinkedHashMap<>();
        byte[] definition = reader.definitionBytes();
        blobs.put(CspackLayout.DEFINITION_CONTENT, new Blob(CspackLayout.DEFINITION_CONTENT, definition.length,
                m.definition().sha256()));
        put(zip, CspackLayout.DEFINITION_CONTENT, false);
        zip.write(definition);
        zip.closeArchiveEntry();
        Map<String, List<String[]>> layouts = new LinkedHashMap<>();
        for (RoleLayout role : m.roles()) {
            List<String[]> files = new ArrayList<>();
            layouts.put(role.name(), files);
            Set<String> pending = new LinkedHashSet<>();
            for (PackageFile f : role.files()) {
                String part = blobPart(f);
                files.add(new String[] {"\\" + f.path().replace('/', '\\'), part});
                if (!blobs.containsKey(part)) {
                    blobs.put(part, new Blob(part, f.size(), f.sha256()));
                    pending.add(part);
                }
            }
            reader.copyRole(role.name(), (f, in) -> {
                String part = blobPart(f);
                if (pending.remove(part)) {
                    put(zip, part, f.executable());
                    in.transferTo(zip);
                    zip.closeArchiveEntry();
                }
            });
        }
        put(zip, CspackLayout.MANIFEST, false);
        zip.write(packageXml(m, blobs, layouts));
        zip.closeArchiveEntry();
        put(zip, CONTENT_TYPES, false);
        zip.write(contentTypes(blobs));
        zip.closeArchiveEntry();
        put(zip, CspackLayout.RELATIONSHIPS, false);
        zip.write(relationships());
        zip.closeArchiveEntry();
    }

    private static String blobPart(PackageFile f) {
        return "LocalContent/" + f.sha256() + (f.executable() ? "x" : "");
    }

    private static void put(ZipArchiveOutputStream zip, String name, boolean executable) throws IOException {
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setTimeLocal(PackageFormat.ENTRY_TIME);
        e.setMethod(ZipArchiveEntry.DEFLATED);
        e.setUnixMode(executable ? 0100755 : 0100644);
        zip.putArchiveEntry(e);
    }

    private static byte[] packageXml(PackageManifest m, Map<String, Blob> blobs, Map<String, List<String[]>> layouts) {
        return xml(w -> {
            w.writeStartElement("PackageDefinition");
            w.writeDefaultNamespace(CspackLayout.NAMESPACE);
            w.writeStartElement("PackageMetaData");
            w.writeStartElement("KeyValuePair");
            element(w, "Key", CspackLayout.PRODUCT_VERSION_KEY);
            element(w, "Value", m.createdBy());
            w.writeEndElement();
            w.writeEndElement();
            w.writeStartElement("PackageContents");
            for (Blob b : blobs.values()) {
                w.writeStartElement("ContentDefinition");
                element(w, "Name", b.part());
                w.writeStartElement("ContentDescription");
                element(w, "LengthInBytes", Long.toString(b.length()));
                element(w, "IntegrityCheckHashAlgortihm", "Sha256");
                element(w, "IntegrityCheckHash", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(b.sha256())));
                element(w, "DataStorePath", b.part());
                w.writeEndElement();
                w.writeEndElement();
            }
            w.writeEndElement();
            w.writeStartElement("PackageLayouts");
            for (Map.Entry<String, List<String[]>> layout : layouts.entrySet()) {
                w.writeStartElement("LayoutDefinition");
                element(w, "Name", CspackLayout.ROLE_LAYOUT_PREFIX + layout.getKey());
                w.writeStartElement("LayoutDescription");
                for (String[] file : layout.getValue()) {
                    w.writeStartElement("FileDefinition");
                    element(w, "FilePath", file[0]);
                    w.writeStartElement("FileDescription");
                    element(w, "DataContentReference", file[1]);
                    element(w, "CreatedTimeUtc", TIME);
                    element(w, "ModifiedTimeUtc", TIME);
                    element(w, "ReadOnly", "false");
                    w.writeEndElement();
                    w.writeEndElement();
                }
                w.writeEndElement();
                w.writeEndElement();
            }
            w.writeEndElement();
            w.writeEndElement();
        });
    }

    private static byte[] contentTypes(Map<String, Blob> blobs) {
        return xml(w -> {
            w.writeStartElement("Types");
            w.writeDefaultNamespace("http://schemas.openxmlformats.org/package/2006/content-types");
            defaultType(w, "xml", "application/octet-stream");
            defaultType(w, "csdef", "application/octet-stream");
            defaultType(w, "rels", "application/vnd.openxmlformats-package.relationships+xml");
            for (Blob b : blobs.values()) {
                if (b.part().startsWith("LocalContent/")) {
                    w.writeEmptyElement("Override");
                    w.writeAttribute("PartName", "/" + b.part());
                    w.writeAttribute("ContentType", "application/octet-stream");
                }
            }
            w.writeEndElement();
        });
    }

    private static byte[] relationships() {
        return xml(w -> {
            w.writeStartElement("Relationships");
            w.writeDefaultNamespace("http://schemas.openxmlformats.org/package/2006/relationships");
            w.writeEmptyElement("Relationship");
            w.writeAttribute("Type", CspackLayout.PACKAGE_DEFINITION_RELATIONSHIP);
            w.writeAttribute("Target", "/" + CspackLayout.MANIFEST);
            w.writeAttribute("Id", "PackageDefinition");
            w.writeEndElement();
        });
    }

    private static void defaultType(XMLStreamWriter w, String extension, String type) throws XMLStreamException {
        w.writeEmptyElement("Default");
        w.writeAttribute("Extension", extension);
        w.writeAttribute("ContentType", type);
    }

    private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(text);
        w.writeEndElement();
    }

    @FunctionalInterface
    private interface Body {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private static byte[] xml(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            body.write(w);
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write package XML", e);
        }
        return out.toByteArray();
    }
}
