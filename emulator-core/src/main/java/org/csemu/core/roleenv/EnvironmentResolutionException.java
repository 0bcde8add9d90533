package org.csemu.core.roleenv;

/**
 * An environment variable could not be resolved; the message names the role, the task or runtime, the variable, the
 * xpath and the csdef position, because the instance cannot start until the definition is fixed.
 */
public final class EnvironmentResolutionException extends Exception {

    private static final long serialVersionUID = 1L;

    public EnvironmentResolutionException(String message) {
        super(message);
    }

    public EnvironmentResolutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
