package org.csemu.core.parse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import javax.xml.validation.ValidatorHandler;

import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.JAXBIntrospector;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.UnmarshallerHandler;
import jakarta.xml.bind.ValidationEvent;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * Reads one service-model document in a single streaming pass:
 * hardened SAX parser → {@link GuardHandler} (root, limits) → schema validator (all violations collected) →
 * JAXB unmarshaller (with source locations). JAXB never sees a raw stream, only the events of the hardened parser.
 * The reader, validator and unmarshaller are this thread's reusable ones ({@link ParsePipeline}); everything that
 * belongs to one document (guard, error collector, JAXB events) is new for each.
 */
final class SecureDocumentReader {

    /** The JAXB root (null when any error was found) and the diagnostics. */
    /** The JAXB root (null when there is none) and the diagnostics; {@code recovered}: read past recoverable schema errors. */
    record Outcome(Object root, List<Diagnostic> diagnostics, boolean recovered) {
        Outcome(Object root, List<Diagnostic> diagnostics) {
            this(root, diagnostics, false);
        }
    }

    /**
     * The pre-scan bound is twice the attribute limit but at least 1 MiB, so that a long comment or text never
     * trips it while a huge attribute is stopped before the parser buffers it; attributes between the attribute
     * limit and this bound are caught, with their name, by {@link GuardHandler}.
     */
    private static final long MIN_MARKUP_RUN = 1024 * 1024;

    private final ParserLimits limits;

    SecureDocumentReader(ParserLimits limits) {
        this.limits = limits;
    }

    Outcome read(DocumentKind kind, String file, byte[] content) {
        if (content.length > limits.maxFileBytes()) {
            return failure(tooLarge(file, content.length));
        }
        if (content.length == 0) {
            return failure(new Diagnostic(file, 1, 1, Severity.ERROR, XmlCodes.NOT_WELL_FORMED, "the file is empty",
                    "write a <" + kind.rootElement() + "> document"));
        }
        long maxRun = Math.max(2L * limits.maxAttributeBytes(), MIN_MARKUP_RUN);
        MarkupRunScanner.Position run = MarkupRunScanner.findRunLongerThan(content, maxRun);
        if (run != null) {
            return failure(new Diagnostic(file, run.line(), run.column(), Severity.ERROR, XmlCodes.ATTRIBUTE_TOO_LONG,
                    "more than " + maxRun + " characters without any markup: an attribute value or text this long has no place "
                            + "in a service model; the file was not parsed",
                    "check that this is the right file; put large data in a file the role reads"));
        }
        ParsePipeline pipeline = ParsePipeline.acquire();
        try {
            return parse(pipeline, kind, file, content);
        } finally {
            pipeline.release();
        }
    }

    private Outcome parse(ParsePipeline pipeline, DocumentKind kind, String file, byte[] content) {
        List<ValidationEvent> jaxbEvents = new ArrayList<>();
        UnmarshallerHandler unmarshaller = unmarshallerHandler(pipeline.unmarshaller(kind), jaxbEvents);

        ValidatorHandler validator = pipeline.validator(kind);
        GuardHandler guard = new GuardHandler(validator, kind, limits, file);
        SchemaErrorCollector schemaErrors = new SchemaErrorCollector(guard.path());
        validator.setErrorHandler(schemaErrors);
        // once the document has an error JAXB cannot read past, stop feeding it values it cannot convert; after
        // recoverable ones only (an unknown attribute, a misplaced element) it goes on, for the cross-file checks
        validator.setContentHandler(new UntilInvalidHandler(unmarshaller, schemaErrors::hasUnrecoverableErrors));

        XMLReader reader = pipeline.reader(limits);
        reader.setContentHandler(guard);
        reader.setErrorHandler(STRICT);
        try {
            reader.parse(new InputSource(new ByteArrayInputStream(content)));
        } catch (ParseAbort abort) {
            return failure(abort.diagnostic());
        } catch (SAXParseException e) {
            return failure(fromParserError(file, e));
        } catch (SAXException | IOException | RuntimeException e) {
            if (schemaErrors.hasErrors()) {
                return new Outcome(null, new SchemaMessageTranslator(kind, file).translate(schemaErrors.errors()));
            }
            // I/O errors while decoding (e.g. bytes that are not valid in the declared encoding) land here
            return failure(new Diagnostic(file, 0, 0, Severity.ERROR, XmlCodes.NOT_WELL_FORMED,
                    "not well-formed XML: " + describe(e), "check the file's encoding and content"));
        }

        if (schemaErrors.hasErrors()) {
            List<Diagnostic> diagnostics = new SchemaMessageTranslator(kind, file).translate(schemaErrors.errors());
            return new Outcome(schemaErrors.hasUnrecoverableErrors() ? null : recoveredRoot(unmarshaller), diagnostics, true);
        }
        if (!jaxbEvents.isEmpty()) {
            List<Diagnostic> diagnostics = new ArrayList<>();
            for (ValidationEvent event : jaxbEvents) {
                int line = event.getLocator() == null ? 0 : Math.max(event.getLocator().getLineNumber(), 0);
                int column = event.getLocator() == null ? 0 : Math.max(event.getLocator().getColumnNumber(), 0);
                diagnostics.add(new Diagnostic(file, line, column, Severity.ERROR, SchemaRule.OTHER.code(kind),
                        "cannot read the value: " + event.getMessage(), null));
            }
            return new Outcome(null, diagnostics);
        }
        try {
            return new Outcome(JAXBIntrospector.getValue(unmarshaller.getResult()), List.of());
        } catch (JAXBException | IllegalStateException e) {
            return failure(new Diagnostic(file, 0, 0, Severity.ERROR, SchemaRule.OTHER.code(kind),
                    "cannot build the model: " + describe(e), null));
        }
    }

    /** The model JAXB read past recoverable errors (its own events about the same elements are not repeated), or null. */
    private static Object recoveredRoot(UnmarshallerHandler unmarshaller) {
        try {
            return JAXBIntrospector.getValue(unmarshaller.getResult());
        } catch (JAXBException | IllegalStateException e) {
            return null;
        }
    }

    Diagnostic tooLarge(String file, long size) {
        return new Diagnostic(file, 0, 0, Severity.ERROR, XmlCodes.FILE_TOO_LARGE,
                "the file is " + size + " bytes, more than the limit of " + limits.maxFileBytes() + " bytes; it was not read",
                "a service model is a few kilobytes: check that this is the right file");
    }

    private static UnmarshallerHandler unmarshallerHandler(Unmarshaller unmarshaller, List<ValidationEvent> events) {
        try {
            unmarshaller.setEventHandler(event -> {
                events.add(event);
                return true;
            });
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot configure a JAXB unmarshaller: " + e, e);
        }
        // a new handler resets the unmarshaller's context: nothing of the previous document is carried over
        return unmarshaller.getUnmarshallerHandler();
    }

    private static Diagnostic fromParserError(String file, SAXParseException e) {
        int line = Math.max(e.getLineNumber(), 0);
        int column = Math.max(e.getColumnNumber(), 0);
        String message = String.valueOf(e.getMessage());
        if (message.contains("DOCTYPE")) {
            return new Diagnostic(file, line, column, Severity.ERROR, XmlCodes.DOCTYPE_REFUSED,
                    "a DOCTYPE declaration is not allowed in a service model (DTDs and entities are refused for safety)",
                    "remove the <!DOCTYPE ...> declaration; service models never need one");
        }
        if (message.contains("JAXP0001") || message.contains("JAXP0002")) {
            String code = message.contains("maxElementDepth") ? XmlCodes.TOO_DEEP : XmlCodes.LIMIT_EXCEEDED;
            return new Diagnostic(file, line, column, Severity.ERROR, code, "a parser limit was exceeded: " + message,
                    "a service model is small and simple: check that this is the right file");
        }
        return new Diagnostic(file, line, column, Severity.ERROR, XmlCodes.NOT_WELL_FORMED,
                "not well-formed XML: " + message, "correct the XML at this position (an XML-aware editor shows the same error)");
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static Outcome failure(Diagnostic diagnostic) {
        return new Outcome(null, List.of(diagnostic));
    }

    /** Well-formedness problems stop the parse: there is no sensible document to validate after them. */
    private static final ErrorHandler STRICT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
            // nothing a user needs to see
        }

        @Override
        public void error(SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    };
}
