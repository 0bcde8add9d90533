package org.csemu.fabric.vm;

/** A csemu domain found on a host, with the metadata it was defined with (for adoption after a restart). */
public record CsemuDomain(String name, String uuid, DomainState state, DomainMetadata metadata) {
}
