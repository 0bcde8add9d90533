package org.csemu.fabric.api.server;

/** Answers one route; runs on a worker thread, may block on the fabric, throws to refuse. */
@FunctionalInterface
public interface RouteHandler {
    ApiResponse handle(ApiRequest request) throws Exception;
}
