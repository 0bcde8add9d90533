package org.csemu.core.pkg;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;
import org.csemu.core.pkg.PackageManifest.PackageFile;
import org.csemu.core.pkg.PackageManifest.RoleLayout;
import org.csemu.core.util.SecureXml;

/**
 * Writes and reads the manifest. Writing is deterministic (fixed attribute order, no timestamps); reading uses a
 * StAX parser with DTDs and external entities off, and checks every value it takes in.
 */
final class ManifestXml {

    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

    private ManifestXml() {
    }

    static byte[] write(PackageManifest m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("PackageManifest");
            w.writeDefaultNamespace(PackageFormat.NAMESPACE);
            w.writeAttribute("formatVersion", Integer.toString(m.formatVersion()));
            w.writeAttribute("createdBy", m.createdBy());
            w.writeAttribute("serviceName", m.serviceName());
            w.writeCharacters("\n  ");
            w.writeEmptyElement("ServiceDefinition");
            writeFileAttributes(w, m.definition());
            for (RoleLayout role : m.roles()) {
                w.writeCharacters("\n  ");
                w.writeStartElement("Role");
                w.writeAttribute("name", role.name());
                for (PackageFile f : role.files()) {
                    w.writeCharacters("\n    ");
                    w.writeEmptyElement("File");
                    writeFileAttributes(w, f);
                }
                w.writeCharacters(role.files().isEmpty() ? "" : "\n  ");
                w.writeEndElement();
            }
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the package manifest", e);
        }
        return out.toByteArray();
    }

    private static void writeFileAttributes(XMLStreamWriter w, PackageFile f) throws XMLStreamException {
        w.writeAttribute("path", f.path());
        w.writeAttribute("size", Long.toString(f.size()));
        w.writeAttribute("sha256", f.sha256());
        if (f.executable()) {
            w.writeAttribute("executable", "true");
        }
    }

    static PackageManifest read(byte[] xml, PackageLimits limits) throws PackageException {
        try {
            XMLStreamReader r = SecureXml.xmlInputFactory().createXMLStreamReader(new ByteArrayInputStream(xml));
            try {
                return parse(r, limits);
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNumber() + ", column "
                    + e.getLocation().getColumnNumber();
            throw invalid("it is not well-formed XML" + where + ": " + e.getMessage());
        }
    }

    private static PackageManifest parse(XMLStreamReader r, PackageLimits limits) throws XMLStreamException, PackageException {
        nextElement(r);
        if (!"PackageManifest".equals(r.getLocalName()) || !PackageFormat.NAMESPACE.equals(r.getNamespaceURI())) {
            throw invalid("the root element is {" + r.getNamespaceURI() + "}" + r.getLocalName()
                    + ", expected {" + PackageFormat.NAMESPACE + "}PackageManifest");
        }
        int version = parseInt(required(r, "formatVersion"), "formatVersion");
        if (version != PackageFormat.FORMAT_VERSION) {
            throw new PackageException(PackageFormat.MANIFEST_ENTRY,
                    "package format version " + version + " is not supported (this csemu reads version " + PackageFormat.FORMAT_VERSION + ")",
                    "rebuild the package with this version of 'csemu pack'");
        }
        String createdBy = required(r, "createdBy");
        String serviceName = required(r, "serviceName");
        PackageFile definition = null;
        List<RoleLayout> roles = new ArrayList<>();
        int fileCount = 0;
        while (nextElement(r)) {
            String name = r.getLocalName();
            if (name.equals("ServiceDefinition") && definition == null && roles.isEmpty()) {
                definition = file(r, limits, false);
                skipToEnd(r);
            } else if (name.equals("Role") && definition != null) {
                String roleName = required(r, "name");
                if (!PackagePaths.isRoleName(roleName)) {
                    throw invalid("role name '" + roleName + "' is not a valid role name");
                }
                List<PackageFile> files = new ArrayList<>();
                while (nextElementOrEnd(r)) {
                    if (!r.getLocalName().equals("File")) {
                        throw invalid("unexpected element <" + r.getLocalName() + "> in role '" + roleName + "'");
                    }
                    if (++fileCount > limits.maxEntries()) {
                        throw new PackageException(PackageFormat.MANIFEST_ENTRY,
                                "it lists more than " + limits.maxEntries() + " files", "split the service or raise the entry limit");
                    }
                    files.add(file(r, limits, true));
                    skipToEnd(r);
                }
                roles.add(new RoleLayout(roleName, files));
            } else {
                throw invalid("unexpected element <" + name + ">");
            }
        }
        if (definition == null) {
            throw invalid("it has no <ServiceDefinition> element");
        }
        return new PackageManifest(version, createdBy, serviceName, definition, roles);
    }

    private static PackageFile file(XMLStreamReader r, PackageLimits limits, boolean roleFile) throws PackageException {
        String path = required(r, "path");
        var problem = roleFile ? PackagePaths.roleFileProblem(path, limits.maxPathLength()) : PackagePaths.problem(path, limits.maxPathLength());
        if (problem.isPresent()) {
            throw invalid("file '" + path + "': " + problem.get());
        }
        long size;
        try {
            size = Long.parseLong(required(r, "size"));
        } catch (NumberFormatException e) {
            throw invalid("file '" + path + "': size is not a number");
        }
        if (size < 0) {
            throw invalid("file '" + path + "': negative size");
        }
        String sha = required(r, "sha256");
        if (!SHA256.matcher(sha).matches()) {
            throw invalid("file '" + path + "': sha256 is not 64 lower-case hex digits");
        }
        String exec = r.getAttributeValue(null, "executable");
        return new PackageFile(path, size, sha, "true".equals(exec));
    }

    private static String required(XMLStreamReader r, String attribute) throws PackageException {
        String v = r.getAttributeValue(null, attribute);
        if (v == null) {
            throw invalid("<" + r.getLocalName() + "> at line " + r.getLocation().getLineNumber() + " has no " + attribute + " attribute");
        }
        return v;
    }

    private static int parseInt(String v, String what) throws PackageException {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw invalid(what + " '" + v + "' is not a number");
        }
    }

    /** Advances to the next start element; false at the end of the document. */
    private static boolean nextElement(XMLStreamReader r) throws XMLStreamException, PackageException {
        while (r.hasNext()) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            checkEvent(r, ev);
        }
        return false;
    }

    /** Advances to the next child start element; false at the parent's end element. */
    private static boolean nextElementOrEnd(XMLStreamReader r) throws XMLStreamException, PackageException {
        while (r.hasNext()) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (ev == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
            checkEvent(r, ev);
        }
        return false;
    }

    private static void skipToEnd(XMLStreamReader r) throws XMLStreamException, PackageException {
        if (nextElementOrEnd(r)) {
            throw invalid("unexpected element <" + r.getLocalName() + "> inside a file entry");
        }
    }

    private static void checkEvent(XMLStreamReader r, int ev) throws PackageException {
        if (ev == XMLStreamConstants.DTD || ev == XMLStreamConstants.ENTITY_REFERENCE) {
            throw invalid("it contains a DTD or an entity reference, which csemu never writes");
        }
        if (ev == XMLStreamConstants.CHARACTERS && !r.isWhiteSpace()) {
            throw invalid("unexpected text at line " + r.getLocation().getLineNumber());
        }
    }

    private static PackageException invalid(String reason) {
        return new PackageException(PackageFormat.MANIFEST_ENTRY, "the manifest is invalid: " + reason,
                "rebuild the package with 'csemu pack'");
    }
}
