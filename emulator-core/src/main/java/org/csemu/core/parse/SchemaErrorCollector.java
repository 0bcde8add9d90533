package org.csemu.core.parse;

import java.util.ArrayList;
import java.util.List;

import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The schema validator's ErrorHandler: keeps every violation (so all of them are reported, not only the first)
 * with the element context at the moment it was found. {@link SchemaMessageTranslator} turns them into diagnostics.
 */
final class SchemaErrorCollector implements ErrorHandler {

    /** One raw validator report with where we were in the document. */
    record RawError(SAXParseException exception, ElementPath.Step current, ElementPath.Step parent, ElementPath.Step role) {
    }

    private final ElementPath path;
    private final List<RawError> errors = new ArrayList<>();

    SchemaErrorCollector(ElementPath path) {
        this.path = path;
    }

    @Override
    public void warning(SAXParseException exception) {
        // the schema validator warns about nothing a user can act on
    }

    @Override
    public void error(SAXParseException exception) {
        errors.add(new RawError(exception, path.current(), path.parent(), path.enclosingRole()));
    }

    @Override
    public void fatalError(SAXParseException exception) throws SAXException {
        throw exception;
    }

    List<RawError> errors() {
        return List.copyOf(errors);
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }
}
