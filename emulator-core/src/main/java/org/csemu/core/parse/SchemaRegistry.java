package org.csemu.core.parse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.EnumMap;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import org.xml.sax.SAXException;

/**
 * The compiled XSDs and JAXB contexts, built once per JVM and shared: both are expensive to create (hundreds of
 * milliseconds) and thread-safe to use. The holder idiom makes the first parse pay, and only once.
 */
final class SchemaRegistry {

    /** The immutable, thread-safe pair the parser needs for one kind of document. */
    record Compiled(Schema schema, JAXBContext context) {
    }

    private SchemaRegistry() {
    }

    static Compiled get(DocumentKind kind) {
        return Holder.COMPILED.get(kind);
    }

    private static final class Holder {
        private static final Map<DocumentKind, Compiled> COMPILED = compileAll();

        private static Map<DocumentKind, Compiled> compileAll() {
            Map<DocumentKind, Compiled> map = new EnumMap<>(DocumentKind.class);
            for (DocumentKind kind : DocumentKind.values()) {
                map.put(kind, new Compiled(compileSchema(kind), createContext(kind)));
            }
            return map;
        }

        private static Schema compileSchema(DocumentKind kind) {
            URL url = SchemaRegistry.class.getResource(kind.schemaResource());
            if (url == null) {
                throw new IllegalStateException("schema resource missing from the classpath: " + kind.schemaResource());
            }
            try (InputStream in = url.openStream()) {
                SchemaFactory factory = SchemaFactory.newDefaultInstance();
                factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
                factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
                return factory.newSchema(new StreamSource(in, url.toExternalForm()));
            } catch (IOException | SAXException e) {
                throw new IllegalStateException("cannot compile the bundled schema " + kind.schemaResource() + ": " + e.getMessage(), e);
            }
        }

        private static JAXBContext createContext(DocumentKind kind) {
            try {
                return JAXBContext.newInstance(kind.objectFactory());
            } catch (JAXBException e) {
                throw new IllegalStateException("cannot create the JAXB context for " + kind.description() + ": " + e, e);
            }
        }
    }
}
