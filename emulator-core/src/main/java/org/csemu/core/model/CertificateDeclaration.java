package org.csemu.core.model;

/** A role certificate declaration; the thumbprint comes from the configuration. */
public record CertificateDeclaration(
        String name,
        String storeLocation,
        String storeName,
        String permissionLevel,
        SourceLocation location) {
}
