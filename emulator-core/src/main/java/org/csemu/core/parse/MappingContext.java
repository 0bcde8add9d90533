package org.csemu.core.parse;

import java.util.ArrayList;
import java.util.List;

import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.SourceLocation;
import org.glassfish.jaxb.core.Locatable;
import org.xml.sax.Locator;

/** What every mapper needs: the file name for source locations, and a place for the few structural rules the XSD cannot express. */
final class MappingContext {

    private final String file;
    private final DocumentKind kind;
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    MappingContext(String file, DocumentKind kind) {
        this.file = file;
        this.kind = kind;
    }

    /** Where the element was (the end of its start tag, as SAX reports it). */
    SourceLocation at(Locatable element) {
        Locator locator = element == null ? null : element.sourceLocation();
        if (locator == null) {
            return new SourceLocation(file, 0, 0);
        }
        return new SourceLocation(file, Math.max(locator.getLineNumber(), 0), Math.max(locator.getColumnNumber(), 0));
    }

    void error(SchemaRule rule, Locatable element, String message, String fix) {
        SourceLocation location = at(element);
        diagnostics.add(new Diagnostic(file, location.line(), location.column(), Severity.ERROR, rule.code(kind), message, fix));
    }

    List<Diagnostic> diagnostics() {
        return List.copyOf(diagnostics);
    }
}
