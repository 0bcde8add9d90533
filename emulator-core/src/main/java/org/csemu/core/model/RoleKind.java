package org.csemu.core.model;

/** The three role types of the classic model; the element name in the .csdef. */
public enum RoleKind {
    WEB_ROLE("WebRole"),
    WORKER_ROLE("WorkerRole"),
    VIRTUAL_MACHINE_ROLE("VirtualMachineRole");

    private final String elementName;

    RoleKind(String elementName) {
        this.elementName = elementName;
    }

    public String elementName() {
        return elementName;
    }
}
