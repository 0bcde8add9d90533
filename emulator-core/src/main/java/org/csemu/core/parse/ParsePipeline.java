package org.csemu.core.parse;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.validation.ValidatorHandler;

import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Unmarshaller;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * One thread's reusable parsing components: the hardened {@link XMLReader}, and per document kind a schema
 * {@link ValidatorHandler} and a JAXB {@link Unmarshaller}.
 *
 * <p>Why: building these per file made the fixed cost of a parse many times the parse itself (measured on the
 * shared 2-core machine: 0.07–0.3 ms to build the reader, 0.05–0.17 ms per validator handler, plus their first-use
 * buffers; a whole .csdef + .cscfg pair went from ~250 times a bare DOM parse to ~5–10 times, docs/benchmarks/core.md),
 * yet none of them is thread-safe. The thread-safe parts ({@code Schema}, {@code JAXBContext}) are
 * shared per JVM by {@link SchemaRegistry}; these are kept one set per thread and never leave it.
 *
 * <p>Reuse is safe because each one starts every document afresh: Xerces resets its scanner, entity manager and
 * limit counters in {@code parse} (and cleans up in a {@code finally}, also after an exception), the validator
 * handler resets its component manager in {@code startDocument} without restoring its initial properties, and
 * the JAXB unmarshalling context is reset by {@code getUnmarshallerHandler} and again in {@code startDocument}.
 * Features and security properties are set once at creation and persist; the {@link ParserLimits} are re-applied
 * before every parse ({@link HardenedXmlReaders#applyLimits}). Per-document handlers (guard, error collector, event
 * handler) are new for every document and detached afterwards, so nothing of one file is visible to the next.
 * A re-entrant use on the same thread (a parse started from inside another) gets a private, uncached pipeline.
 * What is kept between documents: the components' internal buffers, which may hold characters of the thread's last
 * document until its next parse overwrites them (never read back, never visible to another thread).
 */
final class ParsePipeline {

    private static final ThreadLocal<ParsePipeline> PER_THREAD = ThreadLocal.withInitial(ParsePipeline::new);

    private XMLReader reader;
    private final Map<DocumentKind, ValidatorHandler> validators = new EnumMap<>(DocumentKind.class);
    private final Map<DocumentKind, Unmarshaller> unmarshallers = new EnumMap<>(DocumentKind.class);
    private boolean inUse;

    private ParsePipeline() {
    }

    /** This thread's pipeline, or a fresh one if this thread is already using its own; {@link #release} it after use. */
    static ParsePipeline acquire() {
        ParsePipeline pipeline = PER_THREAD.get();
        if (pipeline.inUse) {
            pipeline = new ParsePipeline();
        }
        pipeline.inUse = true;
        return pipeline;
    }

    /** The reader, with {@code limits} applied for the coming parse. */
    XMLReader reader(ParserLimits limits) {
        if (reader == null) {
            reader = HardenedXmlReaders.create(limits);
        } else {
            HardenedXmlReaders.applyLimits(reader, limits);
        }
        return reader;
    }

    ValidatorHandler validator(DocumentKind kind) {
        return validators.computeIfAbsent(kind, k -> hardened(SchemaRegistry.get(k).schema().newValidatorHandler()));
    }

    Unmarshaller unmarshaller(DocumentKind kind) {
        return unmarshallers.computeIfAbsent(kind, k -> {
            try {
                return SchemaRegistry.get(k).context().createUnmarshaller();
            } catch (JAXBException e) {
                throw new IllegalStateException("cannot create a JAXB unmarshaller: " + e, e);
            }
        });
    }

    /** Detaches the document's handlers (so nothing of it is kept or reachable from the next one) and frees the pipeline. */
    void release() {
        try {
            if (reader != null) {
                reader.setContentHandler(null);
            }
            for (ValidatorHandler validator : validators.values()) {
                validator.setContentHandler(null);
                validator.setErrorHandler(null);
            }
            for (Unmarshaller unmarshaller : unmarshallers.values()) {
                unmarshaller.setEventHandler(null);
            }
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot reset a JAXB unmarshaller: " + e, e);
        } finally {
            inUse = false;
        }
    }

    private static ValidatorHandler hardened(ValidatorHandler validator) {
        try {
            // instance documents must never make the validator fetch anything (xsi:schemaLocation, DTDs)
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (SAXException e) {
            throw new IllegalStateException("cannot harden the schema validator: " + e.getMessage(), e);
        }
        try {
            // the translator reads the English messages, which are the base bundle: Locale.ROOT, since asking for
            // ENGLISH falls back to the default locale's bundle when there is no _en bundle
            validator.setProperty("http://apache.org/xml/properties/locale", Locale.ROOT);
        } catch (SAXException ignored) {
            // not supported by this validator: messages fall back to the default locale and the OTHER code
        }
        return validator;
    }
}
