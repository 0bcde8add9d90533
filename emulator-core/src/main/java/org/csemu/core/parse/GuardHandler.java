package org.csemu.core.parse;

import java.nio.charset.StandardCharsets;

import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;

/**
 * The first stage after the XML parser: enforces the root element, the depth, element-count and attribute-size
 * limits, and keeps the {@link ElementPath} that schema diagnostics use for context; then passes every event on
 * unchanged (to the schema validator).
 */
final class GuardHandler implements ContentHandler {

    private final ContentHandler next;
    private final DocumentKind kind;
    private final ParserLimits limits;
    private final String file;
    private final ElementPath path = new ElementPath();
    private Locator locator;
    private int elements;

    GuardHandler(ContentHandler next, DocumentKind kind, ParserLimits limits, String file) {
        this.next = next;
        this.kind = kind;
        this.limits = limits;
        this.file = file;
    }

    ElementPath path() {
        return path;
    }

    @Override
    public void setDocumentLocator(Locator locator) {
        this.locator = locator;
        next.setDocumentLocator(locator);
    }

    @Override
    public void startDocument() throws SAXException {
        next.startDocument();
    }

    @Override
    public void endDocument() throws SAXException {
        next.endDocument();
    }

    @Override
    public void startPrefixMapping(String prefix, String uri) throws SAXException {
        next.startPrefixMapping(prefix, uri);
    }

    @Override
    public void endPrefixMapping(String prefix) throws SAXException {
        next.endPrefixMapping(prefix);
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        if (path.depth() == 0) {
            checkRoot(uri, localName);
        }
        if (path.depth() + 1 > limits.maxElementDepth()) {
            throw abort(XmlCodes.TOO_DEEP, "elements are nested deeper than " + limits.maxElementDepth()
                    + " levels (at <" + qName + ">)", "a service model is only a few levels deep: this file is not one; "
                    + "raise ParserLimits.maxElementDepth only if it really is");
        }
        if (++elements > limits.maxElements()) {
            throw abort(XmlCodes.LIMIT_EXCEEDED, "the document has more than " + limits.maxElements() + " elements",
                    "split the service or check that the file is really a service model");
        }
        for (int i = 0; i < atts.getLength(); i++) {
            checkAttributeSize(qName, atts.getQName(i), atts.getValue(i));
        }
        path.push(localName, atts);
        next.startElement(uri, localName, qName, atts);
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        next.endElement(uri, localName, qName);
        path.pop();
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        next.characters(ch, start, length);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        next.ignorableWhitespace(ch, start, length);
    }

    @Override
    public void processingInstruction(String target, String data) throws SAXException {
        next.processingInstruction(target, data);
    }

    @Override
    public void skippedEntity(String name) throws SAXException {
        throw abort(XmlCodes.NOT_WELL_FORMED, "reference to the undeclared entity '&" + name + ";'",
                "write the character itself or use one of &amp; &lt; &gt; &quot; &apos;");
    }

    private void checkRoot(String uri, String localName) throws ParseAbort {
        if (localName.equals(kind.rootElement()) && kind.namespace().equals(uri)) {
            return;
        }
        DocumentKind other = kind.other();
        if (localName.equals(other.rootElement()) && other.namespace().equals(uri)) {
            throw abort(XmlCodes.WRONG_ROOT, "this is a " + other.description() + ", not a " + kind.description(),
                    "pass the " + kind.description() + " here (the file name extension decides which is which)");
        }
        if (localName.equals(kind.rootElement())) {
            String actual = uri == null || uri.isEmpty() ? "no namespace" : "namespace '" + uri + "'";
            throw abort(XmlCodes.WRONG_ROOT, "root element " + localName + " is in " + actual + ", expected namespace '"
                    + kind.namespace() + "'", "write <" + localName + " xmlns=\"" + kind.namespace() + "\" ...>");
        }
        throw abort(XmlCodes.WRONG_ROOT, "root element is <" + localName + ">, expected <" + kind.rootElement()
                + "> of a " + kind.description(), "check that this is the right file");
    }

    private void checkAttributeSize(String element, String attribute, String value) throws ParseAbort {
        int max = limits.maxAttributeBytes();
        // chars <= UTF-8 bytes <= 3 * chars: only count exactly when it matters
        if (value.length() > max || (value.length() * 3L > max && value.getBytes(StandardCharsets.UTF_8).length > max)) {
            throw abort(XmlCodes.ATTRIBUTE_TOO_LONG, element + "@" + attribute + " is longer than " + max + " bytes",
                    "no attribute of a service model needs that much; put large data in a file the role reads");
        }
    }

    private ParseAbort abort(String code, String message, String fix) {
        int line = locator == null ? 0 : Math.max(locator.getLineNumber(), 0);
        int column = locator == null ? 0 : Math.max(locator.getColumnNumber(), 0);
        return new ParseAbort(new Diagnostic(file, line, column, Severity.ERROR, code, message, fix));
    }
}
