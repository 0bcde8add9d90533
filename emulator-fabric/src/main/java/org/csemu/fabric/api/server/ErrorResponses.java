package org.csemu.fabric.api.server;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.csemu.fabric.api.ErrorView;
import org.csemu.fabric.api.FabricException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every refusal and every failure into the one JSON error shape: {@code {code, message, diagnostics}}. */
public final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    public static ApiResponse of(int status, String code, String message) {
        return ApiResponse.json(status, new ErrorView(code, message, List.of()));
    }

    public static ApiResponse of(Throwable t) {
        if (t instanceof FabricException fe) {
            return ApiResponse.json(fe.kind().httpStatus(), ErrorView.of(fe));
        }
        if (t instanceof ApiException ae) {
            return of(ae.status(), ae.code(), ae.getMessage());
        }
        if (t instanceof RejectedExecutionException) {
            return of(503, "Busy", "the daemon is handling too many requests; retry shortly");
        }
        LOG.error("request failed", t);
        return of(500, "InternalError", "internal error (" + t.getClass().getSimpleName()
                + (t.getMessage() == null ? "" : ": " + t.getMessage()) + "); the daemon log has the details");
    }
}
