package org.csemu.core.pkg;

import java.nio.file.Path;

/**
 * Where one file of a role comes from when packing.
 *
 * @param file   the source file on disk
 * @param origin what put it there, for messages (e.g. {@code --role WebRole1=web}, {@code Contents/Content at 12:7})
 */
record ContentSource(Path file, String origin) {
}
