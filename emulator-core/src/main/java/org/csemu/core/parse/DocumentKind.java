package org.csemu.core.parse;

/** The two documents of the service model, with what the parser needs to know about each. */
enum DocumentKind {
    DEFINITION("http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition", "ServiceDefinition",
            "CSDEF", "service definition (.csdef)", "ServiceDefinitionSchema.xsd",
            org.csemu.schemas.csdef.ObjectFactory.class),
    CONFIGURATION("http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration", "ServiceConfiguration",
            "CSCFG", "service configuration (.cscfg)", "ServiceConfigurationSchema.xsd",
            org.csemu.schemas.cscfg.ObjectFactory.class);

    private final String namespace;
    private final String rootElement;
    private final String codePrefix;
    private final String description;
    private final String schemaResource;
    private final Class<?> objectFactory;

    DocumentKind(String namespace, String rootElement, String codePrefix, String description, String schemaFile,
                 Class<?> objectFactory) {
        this.namespace = namespace;
        this.rootElement = rootElement;
        this.codePrefix = codePrefix;
        this.description = description;
        this.schemaResource = "/org/csemu/schemas/" + schemaFile;
        this.objectFactory = objectFactory;
    }

    String namespace() {
        return namespace;
    }

    String rootElement() {
        return rootElement;
    }

    /** CSDEF or CSCFG: the prefix of the schema-level diagnostic codes of this document. */
    String codePrefix() {
        return codePrefix;
    }

    String description() {
        return description;
    }

    String schemaResource() {
        return schemaResource;
    }

    Class<?> objectFactory() {
        return objectFactory;
    }

    DocumentKind other() {
        return this == DEFINITION ? CONFIGURATION : DEFINITION;
    }
}
