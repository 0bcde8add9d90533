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

    /**
     * Violations after which the document can still be read into a model that only lacks the faulty part: an
     * attribute the element does not have (JAXB ignores it), an element that is unknown, repeated or out of order
     * (JAXB ignores or keeps one). Everything else (a missing required part, a value of the wrong type) would leave
     * holes the model cannot have.
     */
    private static final java.util.Set<String> RECOVERABLE = java.util.Set.of(
            "cvc-complex-type.3.2.2", "cvc-complex-type.2.4.a", "cvc-complex-type.2.4.d");

    /** True once a violation that is not {@link #RECOVERABLE} was seen. */
    boolean hasUnrecoverableErrors() {
        for (RawError error : errors) {
            String message = String.valueOf(error.exception().getMessage());
            int colon = message.indexOf(':');
            if (colon < 0 || !RECOVERABLE.contains(message.substring(0, colon))) {
                return true;
            }
        }
        return false;
    }
}
