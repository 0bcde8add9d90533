package org.csemu.core.pkg;

import java.nio.file.Path;

/**
 * A {@code --sites ROLE;VPATH;DIR} mapping: the content of a web role's site, or of a virtual path inside it.
 *
 * @param role        the web role
 * @param virtualPath the site name ({@code Web}) or a virtual path inside it ({@code Web/api}); the site name is
 *                    matched ignoring case, like IIS
 * @param directory   the directory to pack
 */
public record SiteContent(String role, String virtualPath, Path directory) {

    /** Parses {@code ROLE;VPATH;DIR}. */
    public static SiteContent parse(String spec) {
        String[] parts = spec.split(";", 3);
        if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
            throw new IllegalArgumentException("'" + spec + "' is not ROLE;VPATH;DIR (e.g. WebRole1;Web;./site)");
        }
        return new SiteContent(parts[0], parts[1], Path.of(parts[2]));
    }
}
