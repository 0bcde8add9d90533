package org.csemu.core.pkg;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.ParserConfigurationException;
import org.csemu.core.util.SecureXml;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The small XML documents of a CSPack package ({@code package.xml}, {@code _rels/.rels}, a role's
 * {@code RoleModel.xml}, the older format's {@code .csman}), parsed with DTDs and external entities off; they are
 * size-bounded by the caller before they get here.
 */
final class ForeignXml {

    private ForeignXml() {
    }

    /** The root element, or a refusal naming the entry and the line. */
    static Element parse(byte[] xml, String subject) throws PackageException {
        try {
            DocumentBuilder b = SecureXml.documentBuilderFactory().newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(xml)).getDocumentElement();
        } catch (SAXParseException e) {
            throw new PackageException(subject, "is not well-formed XML (line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + "): " + e.getMessage(), ForeignPackages.CSPACK_FIX);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new PackageException(subject, "cannot be read as XML: " + e.getMessage(), ForeignPackages.CSPACK_FIX);
        }
    }

    /** The child elements of {@code parent} with that local name, in document order. */
    static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }

    static Optional<Element> child(Element parent, String localName) {
        List<Element> c = children(parent, localName);
        return c.isEmpty() ? Optional.empty() : Optional.of(c.get(0));
    }

    /** The trimmed text of a child element, or empty when it is missing. */
    static Optional<String> text(Element parent, String localName) {
        return child(parent, localName).map(e -> e.getTextContent().trim());
    }
}
