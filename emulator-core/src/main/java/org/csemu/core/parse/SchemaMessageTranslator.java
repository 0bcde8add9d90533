package org.csemu.core.parse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;

/**
 * Rewrites the schema validator's "cvc-..." messages into sentences a user understands: which element and
 * attribute, what value was found, what is expected and how to fix it.
 *
 * <p>Xerces reports a bad attribute value twice at the same position: first the facet that failed (range, pattern,
 * enumeration, ...) without naming the attribute, then {@code cvc-attribute.3} naming it. The two are merged into
 * one diagnostic. Messages the translator does not know keep their text under the {@code OTHER} code, so nothing
 * is ever lost.
 */
final class SchemaMessageTranslator {

    private static final Pattern KEYED = Pattern.compile("^(cvc-[A-Za-z0-9.\\-]+): (.*)$", Pattern.DOTALL);

    private static final Pattern ATTRIBUTE_INVALID = Pattern.compile(
            "The value '(.*)' of attribute '(.+?)' on element '(.+?)' is not valid with respect to its type, '(.+?)'\\.", Pattern.DOTALL);
    private static final Pattern ELEMENT_VALUE_INVALID = Pattern.compile("The value '(.*)' of element '(.+?)' is not valid\\.", Pattern.DOTALL);
    private static final Pattern ATTRIBUTE_MISSING = Pattern.compile("Attribute '(.+?)' must appear on element '(.+?)'\\.");
    private static final Pattern ATTRIBUTE_NOT_ALLOWED = Pattern.compile("Attribute '(.+?)' is not allowed to appear in element '(.+?)'\\.");
    private static final Pattern UNEXPECTED_ONE_OF = Pattern.compile(
            "Invalid content was found starting with element '(.+?)'\\. One of '\\{(.*)\\}' is expected\\.");
    private static final Pattern UNEXPECTED_NONE = Pattern.compile(
            "Invalid content was found starting with element '(.+?)'\\. No child element is expected at this point\\.");
    private static final Pattern INCOMPLETE = Pattern.compile("The content of element '(.+?)' is not complete\\. One of '\\{(.*)\\}' is expected\\.");
    private static final Pattern TOO_MANY = Pattern.compile("'(.+?)' can occur a maximum of '(\\d+)' times.*", Pattern.DOTALL);
    private static final Pattern NO_DECLARATION = Pattern.compile("Cannot find the declaration of element '(.+?)'\\.");
    private static final Pattern ELEMENT_ONLY = Pattern.compile("Element '(.+?)' (?:cannot have character|must have no character).*", Pattern.DOTALL);

    private static final Pattern FACET_BOUND = Pattern.compile(
            "Value '(.*)' is not facet-valid with respect to (minInclusive|maxInclusive|minExclusive|maxExclusive) '(.+?)' for type '(.+?)'\\.", Pattern.DOTALL);
    private static final Pattern FACET_ENUM = Pattern.compile(
            "Value '(.*)' is not facet-valid with respect to enumeration '\\[(.*)\\]'\\. It must be a value from the enumeration\\.", Pattern.DOTALL);
    private static final Pattern FACET_PATTERN = Pattern.compile(
            "Value '(.*)' is not facet-valid with respect to pattern '(.*)' for type '(.+?)'\\.", Pattern.DOTALL);
    private static final Pattern FACET_LENGTH = Pattern.compile(
            "Value '(.*)' with length = '(\\d+)' is not facet-valid with respect to (minLength|maxLength) '(\\d+)' for type '(.+?)'\\.", Pattern.DOTALL);
    private static final Pattern DATATYPE = Pattern.compile("'(.*)' is not a valid value (?:for|of union type|of list type) '(.+?)'\\.", Pattern.DOTALL);

    private static final Pattern NAMESPACE_QUOTE = Pattern.compile("\"[^\"]*\":");

    /** A failed facet, waiting for the cvc-attribute.3 that names the attribute. */
    private record Facet(SchemaRule rule, String value, String detail, String type, int line, int column) {
    }

    private final DocumentKind kind;
    private final String file;

    SchemaMessageTranslator(DocumentKind kind, String file) {
        this.kind = kind;
        this.file = file;
    }

    List<Diagnostic> translate(List<SchemaErrorCollector.RawError> errors) {
        List<Diagnostic> out = new ArrayList<>();
        Facet pending = null;
        for (SchemaErrorCollector.RawError error : errors) {
            int line = Math.max(error.exception().getLineNumber(), 0);
            int column = Math.max(error.exception().getColumnNumber(), 0);
            String text = String.valueOf(error.exception().getMessage());
            Matcher keyed = KEYED.matcher(text);
            String key = keyed.matches() ? keyed.group(1) : "";
            String body = keyed.matches() ? keyed.group(2).trim() : text;

            Facet facet = facet(key, body, line, column);
            if (facet != null) {
                if (pending != null) {
                    out.add(facetAlone(pending));
                }
                pending = facet;
                continue;
            }
            Matcher m = ATTRIBUTE_INVALID.matcher(body);
            if (key.equals("cvc-attribute.3") && m.matches()) {
                Facet used = pending != null && pending.line() == line && pending.column() == column ? pending : null;
                if (pending != null && used == null) {
                    out.add(facetAlone(pending));
                }
                pending = null;
                out.add(badAttribute(used, m.group(3), m.group(2), m.group(1), m.group(4), line, column, error));
                continue;
            }
            if (pending != null) {
                Matcher e = ELEMENT_VALUE_INVALID.matcher(body);
                boolean sameSpot = pending.line() == line && pending.column() == column;
                out.add(facetAlone(pending));
                pending = null;
                if (key.equals("cvc-type.3.1.3") && e.matches() && sameSpot) {
                    continue;
                }
            }
            out.add(structural(key, body, text, line, column, error));
        }
        if (pending != null) {
            out.add(facetAlone(pending));
        }
        return out;
    }

    private Facet facet(String key, String body, int line, int column) {
        Matcher m;
        if (key.matches("cvc-(min|max)(In|Ex)clusive-valid") && (m = FACET_BOUND.matcher(body)).matches()) {
            String bound = switch (m.group(2)) {
                case "minInclusive" -> "at least " + m.group(3);
                case "maxInclusive" -> "at most " + m.group(3);
                case "minExclusive" -> "more than " + m.group(3);
                default -> "less than " + m.group(3);
            };
            return new Facet(SchemaRule.OUT_OF_RANGE, m.group(1), "the value must be " + bound, m.group(4), line, column);
        }
        if (key.equals("cvc-enumeration-valid") && (m = FACET_ENUM.matcher(body)).matches()) {
            return new Facet(SchemaRule.VALUE_NOT_ALLOWED, m.group(1), m.group(2), null, line, column);
        }
        if (key.equals("cvc-pattern-valid") && (m = FACET_PATTERN.matcher(body)).matches()) {
            return new Facet(SchemaRule.INVALID_FORMAT, m.group(1), "it does not match the pattern " + m.group(2), m.group(3), line, column);
        }
        if (key.matches("cvc-(min|max)Length-valid") && (m = FACET_LENGTH.matcher(body)).matches()) {
            String bound = m.group(3).equals("minLength") ? "at least " + m.group(4) : "at most " + m.group(4);
            return new Facet(SchemaRule.WRONG_LENGTH, m.group(1), "it has " + m.group(2) + " characters, the limit is " + bound,
                    m.group(5), line, column);
        }
        if (key.startsWith("cvc-datatype-valid") && (m = DATATYPE.matcher(body)).matches()) {
            return new Facet(SchemaRule.WRONG_TYPE, m.group(1), null, m.group(2), line, column);
        }
        return null;
    }

    private Diagnostic badAttribute(Facet facet, String element, String attribute, String value, String declaredType,
                                    int line, int column, SchemaErrorCollector.RawError error) {
        SchemaRule rule = facet == null ? SchemaRule.WRONG_TYPE : facet.rule();
        TypeDescriptions.Description type = TypeDescriptions.of(declaredType);
        if (type == null && facet != null) {
            type = TypeDescriptions.of(facet.type());
        }
        if (facet != null && facet.rule() == SchemaRule.WRONG_TYPE && "PortSpecifier".equals(declaredType) && value.trim().matches("-?\\d+")) {
            rule = SchemaRule.OUT_OF_RANGE;
        }
        String subject = element + "@" + attribute + " '" + shorten(value) + "'";
        String message;
        String fix;
        switch (rule) {
            case OUT_OF_RANGE -> {
                message = subject + " is out of range: " + (type != null ? type.rule() : facet.detail());
                fix = type != null ? type.fix() : "use a value within the range";
            }
            case VALUE_NOT_ALLOWED -> {
                message = subject + " is not one of the allowed values: " + facet.detail();
                fix = "use one of: " + facet.detail() + " (values are case-sensitive)";
            }
            case INVALID_FORMAT -> {
                message = subject + " is not valid: " + (type != null ? type.rule() : facet.detail());
                fix = type != null ? type.fix() : "change the value to match the pattern";
            }
            case WRONG_LENGTH -> {
                message = subject + " has the wrong length: " + facet.detail();
                fix = type != null ? type.fix() : "change the length of the value";
            }
            default -> {
                TypeDescriptions.Description builtin = facet == null ? null : TypeDescriptions.of(facet.type());
                TypeDescriptions.Description used = type != null ? type : builtin;
                message = subject + " is not valid: " + (used != null ? used.rule() : "it is not a valid " + declaredType);
                fix = used != null ? used.fix() : "write a valid " + declaredType;
            }
        }
        return diagnostic(rule, line, column, message + owner(error, element), fix);
    }

    /** " (Certificate 'SSL' in Role 'Web')": the named element the attribute belongs to, and its role. */
    private static String owner(SchemaErrorCollector.RawError error, String element) {
        ElementPath.Step current = error == null ? null : error.current();
        if (current == null || current.identity() == null || !current.localName().equals(element)) {
            return where(error, element);
        }
        boolean inRole = error.role() != null && !error.role().equals(current);
        return " (" + current + (inRole ? " in " + error.role() : "") + ")";
    }

    private Diagnostic facetAlone(Facet facet) {
        TypeDescriptions.Description type = TypeDescriptions.of(facet.type());
        String message = "value '" + shorten(facet.value()) + "' is not valid: "
                + (type != null ? type.rule() : facet.detail() != null ? facet.detail() : "it is not a valid " + facet.type());
        return diagnostic(facet.rule(), facet.line(), facet.column(), message, type != null ? type.fix() : null);
    }

    private Diagnostic structural(String key, String body, String raw, int line, int column, SchemaErrorCollector.RawError error) {
        Matcher m;
        if ((m = ATTRIBUTE_MISSING.matcher(body)).matches()) {
            return diagnostic(SchemaRule.MISSING_ATTRIBUTE, line, column,
                    m.group(2) + "@" + m.group(1) + " is required but missing" + where(error, m.group(2)),
                    "add " + m.group(1) + "=\"...\" to <" + m.group(2) + ">");
        }
        if ((m = ATTRIBUTE_NOT_ALLOWED.matcher(body)).matches()) {
            return diagnostic(SchemaRule.UNKNOWN_ATTRIBUTE, line, column,
                    m.group(2) + "@" + m.group(1) + " is not an attribute of <" + m.group(2) + ">" + where(error, m.group(2)),
                    "remove it or correct its spelling (attribute names are case-sensitive)");
        }
        if ((m = UNEXPECTED_ONE_OF.matcher(body)).matches()) {
            Diagnostic misplaced = misplaced(elementName(m.group(1)), line, column, error);
            return misplaced != null ? misplaced : diagnostic(SchemaRule.UNEXPECTED_ELEMENT, line, column,
                    "element <" + elementName(m.group(1)) + "> is not allowed here" + inParent(error),
                    "expected one of: " + elementList(m.group(2)) + " (element names are case-sensitive)");
        }
        if ((m = UNEXPECTED_NONE.matcher(body)).matches()) {
            Diagnostic misplaced = misplaced(elementName(m.group(1)), line, column, error);
            return misplaced != null ? misplaced : diagnostic(SchemaRule.UNEXPECTED_ELEMENT, line, column,
                    "element <" + elementName(m.group(1)) + "> is not allowed here" + inParent(error),
                    "remove it, or move it: no further child element is allowed at this point (it belongs elsewhere)");
        }
        if ((m = TOO_MANY.matcher(body)).matches()) {
            return diagnostic(SchemaRule.UNEXPECTED_ELEMENT, line, column,
                    "element <" + elementName(m.group(1)) + "> appears more than " + m.group(2) + " times" + inParent(error),
                    "remove the extra <" + elementName(m.group(1)) + "> elements");
        }
        if ((m = INCOMPLETE.matcher(body)).matches()) {
            String parentName = elementName(m.group(1));
            String current = error.current() == null ? parentName : error.current().toString();
            String required = REQUIRED_CHILD.get(parentName);
            String expected = elementList(m.group(2));
            if (required != null && expected.contains("<" + required + ">")) {
                return diagnostic(SchemaRule.MISSING_ELEMENT, line, column,
                        "<" + current + "> is missing its required <" + required + "> element",
                        "add <" + required + "> inside <" + parentName + ">");
            }
            return diagnostic(SchemaRule.MISSING_ELEMENT, line, column,
                    "<" + current + "> is incomplete: a required child element is missing",
                    "add one of: " + requiredOnly(parentName, expected));
        }
        if ((m = NO_DECLARATION.matcher(body)).matches()) {
            return diagnostic(SchemaRule.UNEXPECTED_ELEMENT, line, column,
                    "element <" + m.group(1) + "> is not part of the " + kind.description() + " schema",
                    "check the element name and its namespace (" + kind.namespace() + ")");
        }
        if ((m = ELEMENT_ONLY.matcher(body)).matches()) {
            return diagnostic(SchemaRule.TEXT_NOT_ALLOWED, line, column,
                    "element <" + m.group(1) + "> must not contain text" + where(error, m.group(1)),
                    "remove the text; values are given in attributes");
        }
        return diagnostic(SchemaRule.OTHER, line, column, "schema violation: " + raw, null);
    }

    /**
     * An element its parent does have, in the wrong place: given twice where it may appear once, or after an element
     * that must follow it. Null when the parent has no such child (a typo or an element of another parent).
     */
    private Diagnostic misplaced(String element, int line, int column, SchemaErrorCollector.RawError error) {
        if (error.parent() == null) {
            return null;
        }
        String parent = error.parent().localName();
        ContentModels.Content content = ContentModels.of(kind, parent);
        if (content == null || !content.has(element)) {
            return null;
        }
        String previous = error.current() == null ? null : error.current().previousSibling();
        String in = " in <" + error.parent() + ">" + where(error, parent);
        if (content.compositor() == ContentModels.Compositor.ALL || element.equals(previous)) {
            return diagnostic(SchemaRule.UNEXPECTED_ELEMENT, line, column,
                    "element <" + element + "> appears more than once" + in + ": each child of <" + parent + "> may appear only once",
                    "merge the two <" + element + "> elements into one, or remove one");
        }
        if (content.compositor() == ContentModels.Compositor.SEQUENCE && previous != null && content.has(previous)
                && content.children().indexOf(element) < content.children().indexOf(previous)) {
            return diagnostic(SchemaRule.UNEXPECTED_ELEMENT, line, column,
                    "element <" + element + "> is out of order" + in + ": <" + element + "> must come before <" + previous + ">",
                    "move <" + element + "> before <" + previous + ">; the order in <" + parent + "> is "
                            + String.join(", ", content.children().stream().map(c -> "<" + c + ">").toList()));
        }
        return null;
    }

    /** Elements whose content model has exactly one required child among optional ones (xs:all): name it. */
    private static final java.util.Map<String, String> REQUIRED_CHILD = java.util.Map.of(
            "Role", "Instances",
            "Site", "Bindings",
            "Content", "SourceDirectory",
            "InstanceInputEndpoint", "AllocatePublicPortFrom",
            "AllocatePublicPortFrom", "FixedPortRange",
            "LoadBalancer", "FrontendIPConfiguration",
            "OnlyAllowTrafficTo", "Destinations");

    /** The local name of an element as Xerces quotes it: plain, prefixed, or {"namespace":name}. */
    private static String elementName(String quoted) {
        String name = NAMESPACE_QUOTE.matcher(quoted).replaceAll("").replace("{", "").replace("}", "").trim();
        int colon = name.indexOf(':');
        return colon >= 0 ? name.substring(colon + 1) : name;
    }

    private static String where(SchemaErrorCollector.RawError error, String element) {
        if (error == null || error.role() == null || error.role().localName().equals(element)) {
            return "";
        }
        return " (in " + error.role() + ")";
    }

    private static String inParent(SchemaErrorCollector.RawError error) {
        return error.parent() == null ? "" : " in <" + error.parent() + ">" + where(error, error.parent().localName());
    }

    /**
     * Of the elements the validator would accept next, those the parent cannot do without: "add one of:
     * <LoadBalancerProbes>, <WebRole>, ..." would suggest an optional element that does not complete the parent.
     * All of them when the content model does not tell.
     */
    private String requiredOnly(String parent, String expected) {
        ContentModels.Content content = ContentModels.of(kind, parent);
        if (content == null) {
            return expected;
        }
        List<String> names = Arrays.stream(expected.split(", "))
                .filter(n -> !content.isOptional(n.replaceAll("[<>]", ""))).toList();
        return names.isEmpty() ? expected : String.join(", ", names);
    }

    private static String elementList(String raw) {
        return NAMESPACE_QUOTE.matcher(raw).replaceAll("").replace(",", ", ").replaceAll("\\s+", " ").trim()
                .replaceAll("([A-Za-z_][\\w.\\-]*)", "<$1>");
    }

    private static String shorten(String value) {
        return value.length() > 80 ? value.substring(0, 77) + "..." : value;
    }

    private Diagnostic diagnostic(SchemaRule rule, int line, int column, String message, String fix) {
        return new Diagnostic(file, line, column, Severity.ERROR, rule.code(kind), message, fix);
    }
}
