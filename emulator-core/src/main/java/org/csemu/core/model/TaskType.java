package org.csemu.core.model;

/** Startup task semantics: simple waits for exit 0; background does not block; foreground blocks recycling. */
public enum TaskType {
    SIMPLE("simple"),
    BACKGROUND("background"),
    FOREGROUND("foreground");

    private final String xmlValue;

    TaskType(String xmlValue) {
        this.xmlValue = xmlValue;
    }

    public String xmlValue() {
        return xmlValue;
    }
}
