package org.csemu.fabric.deployment;

/** The two deployment slots of a cloud service. */
public enum Slot { PRODUCTION, STAGING }
