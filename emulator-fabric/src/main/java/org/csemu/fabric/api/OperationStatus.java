package org.csemu.fabric.api;

/** The classic Get Operation Status values. */
public enum OperationStatus {
    InProgress,
    Succeeded,
    Failed;

    public boolean isDone() {
        return this != InProgress;
    }
}
