package org.csemu.core.parse;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;

import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Builds the SAX reader every service-model file goes through: the JDK's own parser with DTDs refused outright
 * (which also stops billion-laughs and XXE), external entities and XInclude off, secure processing on, and every
 * JAXP limit set explicitly from {@link ParserLimits} so that no JDK-version default is relied upon.
 *
 * <p>Creating a reader costs far more than parsing a service model with it, so readers are made once per thread
 * ({@link ParsePipeline}) and reused: the features set here persist across {@code parse} calls (Xerces resets only its
 * per-document state), and {@link #applyLimits} is called before every parse, so each document is read under the
 * limits of the parser that reads it even when parsers with different limits share a thread.
 */
final class HardenedXmlReaders {

    private static final String JDK_PROPERTY = "http://www.oracle.com/xml/jaxp/properties/";

    private HardenedXmlReaders() {
    }

    /** Well-formedness messages in English like the rest of each diagnostic (ROOT = the base, English, bundle). */
    private static void useEnglishMessages(XMLReader reader) {
        try {
            reader.setProperty("http://apache.org/xml/properties/locale", java.util.Locale.ROOT);
        } catch (SAXException ignored) {
            // not supported: the parser's part of the message follows the default locale
        }
    }

    /** A new hardened reader, limits included; {@link #applyLimits} may re-apply other limits before a later parse. */
    static XMLReader create(ParserLimits limits) {
        try {
            SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);

            XMLReader reader = factory.newSAXParser().getXMLReader();
            reader.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            reader.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            applyLimits(reader, limits);
            useEnglishMessages(reader);
            return reader;
        } catch (ParserConfigurationException | SAXException e) {
            // the JDK's built-in parser supports all of these; failing here means a broken runtime, never bad input
            throw new IllegalStateException("cannot configure a hardened XML parser: " + e.getMessage(), e);
        }
    }

    /** Sets every JAXP limit from {@code limits}; cheap (a few property writes), done before each parse. */
    static void applyLimits(XMLReader reader, ParserLimits limits) {
        try {
            String entitySize = String.valueOf(Math.min(limits.maxFileBytes(), Integer.MAX_VALUE));
            reader.setProperty(JDK_PROPERTY + "entityExpansionLimit", String.valueOf(limits.maxEntityExpansions()));
            reader.setProperty(JDK_PROPERTY + "entityReplacementLimit", String.valueOf(limits.maxEntityExpansions()));
            reader.setProperty(JDK_PROPERTY + "maxGeneralEntitySizeLimit", entitySize);
            reader.setProperty(JDK_PROPERTY + "maxParameterEntitySizeLimit", entitySize);
            reader.setProperty(JDK_PROPERTY + "totalEntitySizeLimit", entitySize);
            // one above ours: GuardHandler sees the violation first and reports it with a clear message
            reader.setProperty(JDK_PROPERTY + "maxElementDepth", String.valueOf(limits.maxElementDepth() + 1));
            reader.setProperty(JDK_PROPERTY + "elementAttributeLimit", "256");
            reader.setProperty(JDK_PROPERTY + "maxXMLNameLimit", "1000");
        } catch (SAXException e) {
            throw new IllegalStateException("cannot set the XML parser's limits: " + e.getMessage(), e);
        }
    }
}
