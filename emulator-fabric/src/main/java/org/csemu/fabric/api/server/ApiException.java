package org.csemu.fabric.api.server;

/** A refusal decided by the HTTP layer itself (before or instead of the fabric): status, code, message. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
