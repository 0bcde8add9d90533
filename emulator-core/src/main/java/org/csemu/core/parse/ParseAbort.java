package org.csemu.core.parse;

import org.csemu.core.diag.Diagnostic;
import org.xml.sax.SAXException;

/** Thrown inside the SAX pipeline to stop parsing at once with a diagnostic already written. */
final class ParseAbort extends SAXException {
    private static final long serialVersionUID = 1L;

    private final transient Diagnostic diagnostic;

    ParseAbort(Diagnostic diagnostic) {
        super(diagnostic.message());
        this.diagnostic = diagnostic;
    }

    Diagnostic diagnostic() {
        return diagnostic;
    }
}
