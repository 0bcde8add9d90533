package org.csemu.core.parse;

import java.util.Set;

/**
 * The families of schema (structure) violations; the diagnostic code is the document's prefix plus the number,
 * e.g. {@code CSDEF003} for a value out of range in a .csdef, {@code CSCFG003} in a .cscfg. Numbers stay below
 * 100: codes from 100 up belong to the semantic validator.
 */
enum SchemaRule {
    UNEXPECTED_ELEMENT(1),
    MISSING_ELEMENT(2),
    OUT_OF_RANGE(3),
    VALUE_NOT_ALLOWED(4),
    INVALID_FORMAT(5),
    WRONG_TYPE(6),
    MISSING_ATTRIBUTE(7),
    UNKNOWN_ATTRIBUTE(8),
    WRONG_LENGTH(9),
    TEXT_NOT_ALLOWED(10),
    /** An element or attribute of a newer schema generation than the file's own schemaVersion. */
    NEWER_SCHEMA_VERSION(11, DocumentKind.CONFIGURATION),
    /** csdef: Environment/Variable needs exactly one of value or RoleInstanceValue. */
    VARIABLE_VALUE(20, DocumentKind.DEFINITION),
    /** cscfg: EndpointAcl needs endPoint (or endpoint). */
    ENDPOINT_ACL_ENDPOINT(21, DocumentKind.CONFIGURATION),
    OTHER(99);

    private final int number;
    private final Set<DocumentKind> kinds;

    SchemaRule(int number) {
        this(number, DocumentKind.values());
    }

    SchemaRule(int number, DocumentKind... kinds) {
        this.number = number;
        this.kinds = Set.of(kinds);
    }

    /** Whether this rule can be reported for a document of this kind (docs/diagnostics.md lists exactly those codes). */
    boolean appliesTo(DocumentKind kind) {
        return kinds.contains(kind);
    }

    String code(DocumentKind kind) {
        return kind.codePrefix() + String.format("%03d", number);
    }
}
