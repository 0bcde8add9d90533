package org.csemu.core.parse;

import java.util.Map;

/**
 * Plain-words descriptions of the schema's simple types, used to turn "cvc-maxInclusive-valid ... for type
 * 'PortInteger'" into "a port is 1..65535". The keys are the type names in the XSDs (and XSD built-ins).
 */
final class TypeDescriptions {

    /** What a valid value looks like, and what to do. */
    record Description(String rule, String fix) {
    }

    private static final String NAME_RULE = "a name starts with a letter or '_', contains none of \\ / : * ? \" < > | ` ' ^ "
            + "and does not end with '.' or a space";

    private static final Map<String, Description> BY_TYPE = Map.ofEntries(
            Map.entry("PortInteger", new Description("a port is 1..65535", "use a port number from 1 to 65535")),
            Map.entry("PortSpecifier", new Description("a port is 1..65535, or '*'",
                    "use a port number from 1 to 65535, or '*' to let the fabric pick one")),
            Map.entry("PositiveInt", new Description("the value must be a whole number of at least 1", "use a number of 1 or more")),
            Map.entry("InstanceCount", new Description("an instance count is a whole number of at least 1",
                    "use 1 or more instances (scale to zero by deleting the deployment)")),
            Map.entry("UpgradeDomainCount", new Description("upgradeDomainCount is 1..20", "use a count from 1 to 20 (default 5)")),
            Map.entry("IdleTimeoutInMinutes", new Description("an idle timeout is 4..30 minutes", "use a value from 4 to 30 (default 4)")),
            Map.entry("LBProbeInterval", new Description("a probe interval is at least 5 seconds",
                    "use 5 or more (default 15; about half the timeout)")),
            Map.entry("LBProbeTimeout", new Description("a probe timeout is at least 11 seconds",
                    "use 11 or more (default 31; about twice the interval plus one)")),
            Map.entry("NamedElementNameString", new Description(NAME_RULE, "rename it, e.g. 'Web_Role1' or 'HttpIn'")),
            Map.entry("VirtualDirectoryName", new Description("a site or virtual directory name starts with a letter or '_', "
                    + "contains none of \\ / ? ; : @ & = + $ , | \" < > ` ' ^ and does not end with '.' or a space",
                    "rename it, e.g. 'Web'")),
            Map.entry("NonEmptyString", new Description("the value must not be empty (csdef: at most 256 characters)",
                    "write a non-empty value")),
            Map.entry("VmNameString", new Description("a vmName is 1..10 letters, digits or '-', not starting or ending with '-'",
                    "use a short host-name prefix such as 'web'")),
            Map.entry("Thumbprint", new Description("a thumbprint is the certificate's SHA-1 hash in hexadecimal",
                    "copy the thumbprint as 40 hex digits, e.g. from 'openssl x509 -fingerprint -sha1' without the colons")),
            Map.entry("IPv4Address", new Description("an IPv4 address in dotted form (four numbers 0..255)",
                    "write the address as a.b.c.d")),
            Map.entry("AclDescription", new Description("a description is at most 256 characters", "shorten the description")),
            Map.entry("SchemaVersion", new Description("any SDK schema version", "")),
            Map.entry("boolean", new Description("the value must be 'true' or 'false'", "write true or false (lower case)")),
            Map.entry("int", new Description("the value must be a whole number", "write a whole number")),
            Map.entry("integer", new Description("the value must be a whole number", "write a whole number")),
            Map.entry("unsignedShort", new Description("the value must be a whole number 0..65535", "write a number from 0 to 65535")),
            Map.entry("anyURI", new Description("the value must be a URI", "write a valid URI")));

    private TypeDescriptions() {
    }

    /** The description of a schema type, or null when none is known (then the facet itself is described). */
    static Description of(String typeName) {
        if (typeName == null) {
            return null;
        }
        return BY_TYPE.get(typeName);
    }
}
