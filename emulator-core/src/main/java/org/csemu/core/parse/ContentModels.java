package org.csemu.core.parse;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.XMLConstants;

import org.csemu.core.util.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Which child elements each element of the bundled XSDs has, in declared order, and whether that order matters:
 * read from the XSD itself (one source of truth), so a schema error can say "X must come before Y" or "X may appear
 * only once" instead of only what the validator expected next.
 */
final class ContentModels {

    /** How an element's children are constrained. */
    enum Compositor {
        /** xs:sequence: this order. */
        SEQUENCE,
        /** xs:all: any order, each at most once. */
        ALL,
        /** xs:choice: any order (repeating) or one of them. */
        CHOICE
    }

    /** The children an element may have, and which of them it may leave out (minOccurs="0" on them or their group). */
    record Content(Compositor compositor, List<String> children, Set<String> optional) {
        boolean has(String child) {
            return children.contains(child);
        }

        boolean isOptional(String child) {
            return optional.contains(child);
        }
    }

    private static final String XS = XMLConstants.W3C_XML_SCHEMA_NS_URI;

    private ContentModels() {
    }

    /** The content of element {@code name} in documents of {@code kind}, or null when it has no child elements. */
    static Content of(DocumentKind kind, String name) {
        return Holder.MODELS.get(kind).get(name);
    }

    private static final class Holder {
        private static final Map<DocumentKind, Map<String, Content>> MODELS = loadAll();

        private static Map<DocumentKind, Map<String, Content>> loadAll() {
            Map<DocumentKind, Map<String, Content>> all = new EnumMap<>(DocumentKind.class);
            for (DocumentKind kind : DocumentKind.values()) {
                all.put(kind, load(kind));
            }
            return all;
        }

        private static Map<String, Content> load(DocumentKind kind) {
            try (InputStream in = ContentModels.class.getResourceAsStream(kind.schemaResource())) {
                if (in == null) {
                    throw new IllegalStateException("schema resource missing: " + kind.schemaResource());
                }
                Document schema = SecureXml.documentBuilderFactory().newDocumentBuilder().parse(in);
                Map<String, Element> types = new HashMap<>();
                for (Element type : descendants(schema.getDocumentElement(), "complexType")) {
                    if (type.hasAttribute("name")) {
                        types.put(type.getAttribute("name"), type);
                    }
                }
                Map<String, Content> models = new HashMap<>();
                for (Element element : descendants(schema.getDocumentElement(), "element")) {
                    String name = element.getAttribute("name");
                    Element type = element.hasAttribute("type") ? types.get(element.getAttribute("type"))
                            : first(element, "complexType");
                    Content content = type == null ? null : content(type);
                    if (content != null && !name.isEmpty()) {
                        models.putIfAbsent(name, content);
                    }
                }
                return Map.copyOf(models);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the content models of " + kind.schemaResource() + ": " + e, e);
            }
        }

        private static Content content(Element complexType) {
            for (Compositor compositor : Compositor.values()) {
                Element group = first(complexType, compositor.name().toLowerCase(java.util.Locale.ROOT));
                if (group != null) {
                    List<String> children = new ArrayList<>();
                    Set<String> optional = new HashSet<>();
                    for (Element child : descendants(group, "element")) {
                        children.add(child.getAttribute("name"));
                        if (optional(child, group)) {
                            optional.add(child.getAttribute("name"));
                        }
                    }
                    return new Content(compositor, List.copyOf(children), Set.copyOf(optional));
                }
            }
            return null;
        }

        /** Whether {@code child} may be absent: minOccurs="0" on it or on a group between it and {@code top}. */
        private static boolean optional(Element child, Element top) {
            for (Node n = child; n instanceof Element e && n != top.getParentNode(); n = n.getParentNode()) {
                if ("0".equals(e.getAttribute("minOccurs"))) {
                    return true;
                }
            }
            return false;
        }

        /** The first xs:{@code local} child element of {@code parent}, or null. */
        private static Element first(Element parent, String local) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && XS.equals(e.getNamespaceURI()) && e.getLocalName().equals(local)) {
                    return e;
                }
            }
            return null;
        }

        /**
         * The xs:{@code local} elements under {@code root} that are not inside a nested element declaration or
         * complexType (for "element": the children declared by this compositor, at any depth of nested groups).
         */
        private static List<Element> descendants(Element root, String local) {
            List<Element> found = new ArrayList<>();
            collect(root, local, found, root);
            return found;
        }

        private static void collect(Element node, String local, List<Element> found, Element root) {
            for (Node n = node.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && XS.equals(e.getNamespaceURI())) {
                    if (e.getLocalName().equals(local)) {
                        found.add(e);
                    }
                    boolean nestedDeclaration = root.getLocalName().equals("schema") ? false
                            : e.getLocalName().equals("element") || e.getLocalName().equals("complexType");
                    if (!nestedDeclaration) {
                        collect(e, local, found, root);
                    }
                }
            }
        }
    }
}
