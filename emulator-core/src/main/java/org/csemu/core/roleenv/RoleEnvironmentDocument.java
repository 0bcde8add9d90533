package org.csemu.core.roleenv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import org.csemu.core.roleenv.RoleEnvironmentInput.ConfigurationSetting;
import org.csemu.core.roleenv.RoleEnvironmentInput.CurrentInstance;
import org.csemu.core.roleenv.RoleEnvironmentInput.EndpointAddress;
import org.csemu.core.roleenv.RoleEnvironmentInput.LocalResourceInfo;
import org.csemu.core.roleenv.RoleEnvironmentInput.PeerInstance;
import org.csemu.core.roleenv.RoleEnvironmentInput.RoleView;
import org.csemu.core.util.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The per-instance role-environment document ({@code csemu/RoleEnvironment.xml} on the config drive). Its shape is
 * what the documented {@code RoleInstanceValue} XPaths expect, so every one of them evaluates against it:
 *
 * <pre>{@code
 * <RoleEnvironment>
 *   <Deployment id="..." emulated="true"/>
 *   <CurrentInstance id="Web_IN_0" roleName="Web" updateDomain="0" faultDomain="0">
 *     <ConfigurationSettings><ConfigurationSetting name="..." value="..."/></ConfigurationSettings>
 *     <LocalResources><LocalResource name="..." path="/csemu/local/<name>/" sizeInMB="..."/></LocalResources>
 *     <Endpoints><Endpoint name="..." protocol="http" address="10.0.2.15" port="80"/></Endpoints>
 *   </CurrentInstance>
 *   <Roles><Role name="..."><Instances><Instance id="..." updateDomain=".." faultDomain="..">
 *     <Endpoints><Endpoint name="..." protocol="tcp" address="10.0.2.2" port="41001"/></Endpoints>
 *   </Instance></Instances></Role></Roles>
 * </RoleEnvironment>
 * }</pre>
 *
 * The document has no namespace (the XPaths use unprefixed names). It is written through DOM and the JDK
 * serializer, so any setting value round-trips: markup characters, quotes and line breaks in attributes are
 * escaped. Instances are immutable; XPath evaluation is synchronized because a DOM is not safe for concurrent reads.
 */
public final class RoleEnvironmentDocument {

    private final byte[] bytes;
    private final Document dom;

    private RoleEnvironmentDocument(byte[] bytes, Document dom) {
        this.bytes = bytes;
        this.dom = dom;
    }

    /**
     * Generates the document of one instance.
     *
     * @throws IllegalArgumentException a value holds a character XML 1.0 cannot carry (e.g. U+0000); the message names it
     */
    public static RoleEnvironmentDocument generate(RoleEnvironmentInput input) {
        Document doc = newBuilder().newDocument();
        Element root = append(doc, doc, "RoleEnvironment");
        Element deployment = append(doc, root, "Deployment");
        attr(deployment, "id", input.deploymentId(), "deployment id");
        attr(deployment, "emulated", Boolean.toString(input.emulated()), "emulated");

        CurrentInstance ci = input.currentInstance();
        Element current = append(doc, root, "CurrentInstance");
        attr(current, "id", ci.id(), "instance id");
        attr(current, "roleName", ci.roleName(), "role name");
        attr(current, "updateDomain", Integer.toString(ci.updateDomain()), "update domain");
        attr(current, "faultDomain", Integer.toString(ci.faultDomain()), "fault domain");
        Element settings = append(doc, current, "ConfigurationSettings");
        for (ConfigurationSetting s : ci.settings()) {
            Element e = append(doc, settings, "ConfigurationSetting");
            attr(e, "name", s.name(), "setting name");
            attr(e, "value", s.value(), "value of setting '" + s.name() + "'");
        }
        Element resources = append(doc, current, "LocalResources");
        for (LocalResourceInfo r : ci.localResources()) {
            Element e = append(doc, resources, "LocalResource");
            attr(e, "name", r.name(), "local resource name");
            attr(e, "path", r.path(), "path of local resource '" + r.name() + "'");
            attr(e, "sizeInMB", Integer.toString(r.sizeInMB()), "size");
        }
        endpoints(doc, current, ci.endpoints());

        Element roles = append(doc, root, "Roles");
        for (RoleView role : input.roles()) {
            Element r = append(doc, roles, "Role");
            attr(r, "name", role.name(), "role name");
            Element instances = append(doc, r, "Instances");
            for (PeerInstance peer : role.instances()) {
                Element i = append(doc, instances, "Instance");
                attr(i, "id", peer.id(), "instance id");
                attr(i, "updateDomain", Integer.toString(peer.updateDomain()), "update domain");
                attr(i, "faultDomain", Integer.toString(peer.faultDomain()), "fault domain");
                endpoints(doc, i, peer.endpoints());
            }
        }
        byte[] xml = serialize(doc);
        try {
            // evaluate against exactly what the guest will read, not the DOM it was written from
            return parse(xml);
        } catch (IOException e) {
            throw new IllegalStateException("the generated role-environment document does not read back", e);
        }
    }

    /** Reads a document back (DTDs refused), e.g. one taken from a config drive. */
    public static RoleEnvironmentDocument parse(byte[] xml) throws IOException {
        try {
            Document doc = newBuilder().parse(new ByteArrayInputStream(xml));
            if (!"RoleEnvironment".equals(doc.getDocumentElement().getLocalName())) {
                throw new IOException("not a role-environment document: the root element is <" + doc.getDocumentElement().getTagName() + ">");
            }
            return new RoleEnvironmentDocument(xml.clone(), doc);
        } catch (SAXException e) {
            throw new IOException("not a well-formed role-environment document: " + e.getMessage(), e);
        }
    }

    /** The document, UTF-8 encoded, as written to the config drive. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toXml() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Evaluates an XPath like a {@code RoleInstanceValue}: the string value of the first node selected, or empty when
     * nothing is selected. An expression of another type ({@code count(...)}, {@code concat(...)}) gives its string value.
     *
     * @throws XPathExpressionException the expression is not valid XPath 1.0
     */
    public synchronized Optional<String> select(String xpath) throws XPathExpressionException {
        XPath x = SecureXml.xpathFactory().newXPath();
        XPathExpression expression = x.compile(xpath);
        Object nodes;
        try {
            nodes = expression.evaluate(dom, XPathConstants.NODESET);
        } catch (XPathExpressionException notANodeSet) {
            return Optional.of((String) expression.evaluate(dom, XPathConstants.STRING));
        }
        NodeList list = (NodeList) nodes;
        if (list.getLength() == 0) {
            return Optional.empty();
        }
        Node first = list.item(0);
        return Optional.of(first.getTextContent() == null ? "" : first.getTextContent());
    }

    private static void endpoints(Document doc, Element parent, java.util.List<EndpointAddress> list) {
        Element endpoints = append(doc, parent, "Endpoints");
        for (EndpointAddress ep : list) {
            Element e = append(doc, endpoints, "Endpoint");
            attr(e, "name", ep.name(), "endpoint name");
            attr(e, "protocol", ep.protocol(), "protocol of endpoint '" + ep.name() + "'");
            attr(e, "address", ep.address(), "address of endpoint '" + ep.name() + "'");
            attr(e, "port", Integer.toString(ep.port()), "port of endpoint '" + ep.name() + "'");
        }
    }

    private static Element append(Document doc, Node parent, String name) {
        Element e = doc.createElementNS(null, name);
        parent.appendChild(e);
        return e;
    }

    private static void attr(Element e, String name, String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("the " + what + " is missing (null) in the role environment");
        }
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                    || (c >= 0x10000 && c <= 0x10FFFF);
            if (!ok) {
                throw new IllegalArgumentException("the " + what + " contains the character U+" + String.format("%04X", c)
                        + " at position " + i + ", which an XML document cannot carry; remove it from the configuration");
            }
            i += Character.charCount(c);
        }
        e.setAttribute(name, value);
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilder b = SecureXml.documentBuilderFactory().newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e; // reported through the exception, not printed on stderr
                }

                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] serialize(Document doc) {
        try {
            Transformer t = SecureXml.transformerFactory().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            doc.setXmlStandalone(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write the role-environment document", e);
        }
    }
}
