package org.csemu.fabric.host;

/** The outcome of one host check. Only {@link #FAIL} of a required check makes the doctor fail. */
public enum CheckStatus {
    /** The host is as csemu needs it. */
    OK,
    /** Information that is not a failure (for example: no usable KVM, TCG will be used). */
    INFO,
    /** csemu will not work (or will be slow in a way the setup script prevents) until fixed. */
    FAIL
}
