package org.csemu.core.diag;

/** How bad a diagnostic is: errors always fail a deployment, warnings and notes never do. */
public enum Severity {
    ERROR("error"),
    WARNING("warning"),
    INFO("info");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    /** The lower-case word used in the {@code path:line:col: severity CODE message} format and in JSON. */
    public String label() {
        return label;
    }
}
