package org.csemu.core.parse;

/**
 * The XML-level diagnostic codes (problems before the schema can even be applied). Stable: CI pipelines match on
 * them; docs/diagnostics.md lists each with its fix.
 */
final class XmlCodes {
    /** Not well-formed XML (also: empty file, bad encoding). */
    static final String NOT_WELL_FORMED = "XML001";
    /** A DOCTYPE declaration: refused, since DTDs are the door to entity expansion and external entities. */
    static final String DOCTYPE_REFUSED = "XML002";
    /** The file is larger than ParserLimits.maxFileBytes; refused before reading it. */
    static final String FILE_TOO_LARGE = "XML003";
    /** Elements nested deeper than ParserLimits.maxElementDepth. */
    static final String TOO_DEEP = "XML004";
    /** An attribute value longer than ParserLimits.maxAttributeBytes. */
    static final String ATTRIBUTE_TOO_LONG = "XML005";
    /** The root element is not the expected one, or not in the expected namespace. */
    static final String WRONG_ROOT = "XML006";
    /** The file cannot be read (missing, a directory, no permission). */
    static final String UNREADABLE = "XML007";
    /** Another parser limit: too many elements or entity expansions, or a JDK JAXP limit. */
    static final String LIMIT_EXCEEDED = "XML008";

    private XmlCodes() {
    }
}
