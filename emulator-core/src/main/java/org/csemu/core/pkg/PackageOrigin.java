package org.csemu.core.pkg;

/** The layouts csemu reads as a package (see docs/packages.md). */
public enum PackageOrigin {
    /** csemu's own {@code .cspkg} ({@code csemu-package.xml}). */
    CSEMU("csemu package"),
    /** The Azure SDK's current format: an OPC zip with {@code package.xml} (format 2012/03/15). */
    CSPACK("CSPack package (package.xml)"),
    /** The Azure SDK's older format: one {@code .cssx} zip per role inside the package. */
    CSPACK_LEGACY("CSPack package, older format (.cssx per role)"),
    /** The directory {@code cspack /copyOnly} writes for the compute emulator. */
    CSX_DIRECTORY(".csx directory (cspack /copyOnly)");

    private final String title;

    PackageOrigin(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
