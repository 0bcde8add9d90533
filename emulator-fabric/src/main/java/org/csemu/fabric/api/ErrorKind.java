package org.csemu.fabric.api;

/** Why the fabric refused a request; each kind has one HTTP status and one CLI exit code. */
public enum ErrorKind {
    /** The request is malformed (unknown field, bad number, missing part). HTTP 400. */
    BAD_REQUEST(400),
    /** No such deployment, instance, role, image or operation. HTTP 404. */
    NOT_FOUND(404),
    /** The operation is not allowed in the current state (an illegal state transition, an image in use). HTTP 409. */
    CONFLICT(409),
    /** The service model is invalid; the diagnostics say where and why. HTTP 422. */
    VALIDATION_FAILED(422),
    /** The fabric cannot take more work right now. HTTP 503. */
    UNAVAILABLE(503),
    /** A bug or a host failure. HTTP 500. */
    INTERNAL(500);

    private final int httpStatus;

    ErrorKind(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
