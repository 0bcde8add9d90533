package org.csemu.core.parse;

import java.util.function.BooleanSupplier;

import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;

/**
 * Passes SAX events on until the document has been found invalid, then drops them: the model of an invalid
 * document is never used, and JAXB must not be asked to convert values the schema has already rejected.
 */
final class UntilInvalidHandler implements ContentHandler {

    private final ContentHandler next;
    private final BooleanSupplier invalid;

    UntilInvalidHandler(ContentHandler next, BooleanSupplier invalid) {
        this.next = next;
        this.invalid = invalid;
    }

    private boolean open() {
        return !invalid.getAsBoolean();
    }

    @Override
    public void setDocumentLocator(Locator locator) {
        next.setDocumentLocator(locator);
    }

    @Override
    public void startDocument() throws SAXException {
        next.startDocument();
    }

    @Override
    public void endDocument() throws SAXException {
        if (open()) {
            next.endDocument();
        }
    }

    @Override
    public void startPrefixMapping(String prefix, String uri) throws SAXException {
        if (open()) {
            next.startPrefixMapping(prefix, uri);
        }
    }

    @Override
    public void endPrefixMapping(String prefix) throws SAXException {
        if (open()) {
            next.endPrefixMapping(prefix);
        }
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        if (open()) {
            next.startElement(uri, localName, qName, atts);
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        if (open()) {
            next.endElement(uri, localName, qName);
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        if (open()) {
            next.characters(ch, start, length);
        }
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        if (open()) {
            next.ignorableWhitespace(ch, start, length);
        }
    }

    @Override
    public void processingInstruction(String target, String data) throws SAXException {
        if (open()) {
            next.processingInstruction(target, data);
        }
    }

    @Override
    public void skippedEntity(String name) throws SAXException {
        if (open()) {
            next.skippedEntity(name);
        }
    }
}
