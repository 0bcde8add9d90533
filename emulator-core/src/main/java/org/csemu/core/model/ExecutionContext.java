package org.csemu.core.model;

/** The privilege a task or role process runs with. */
public enum ExecutionContext {
    LIMITED("limited"),
    ELEVATED("elevated");

    private final String xmlValue;

    ExecutionContext(String xmlValue) {
        this.xmlValue = xmlValue;
    }

    public String xmlValue() {
        return xmlValue;
    }
}
