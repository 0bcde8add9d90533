package org.csemu.core.pkg;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules for names inside a package. Every name is checked as text first (so that a hostile name is refused on
 * every host, whatever its file system) and every extraction target again as a normalized {@link Path} that must stay
 * inside the destination ({@link Path#startsWith(Path)}, never a string prefix).
 */
public final class PackagePaths {

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
    private static final Pattern ROLE_PATH = Pattern.compile("^(approot|sitesroot/(0|[1-9][0-9]{0,3}))/.+");
    private static final Pattern ROLE_NAME = Pattern.compile("^[a-zA-Z_][^\\\\/:*?\"<>|`'^]*(?<![.\\s])$");

    private PackagePaths() {
    }

    /**
     * Why {@code name} is not an acceptable relative name, or empty when it is: a non-empty {@code /}-separated
     * path with no empty, {@code .} or {@code ..} segment, no backslash, no drive letter, no control character.
     */
    public static Optional<String> problem(String name, int maxLength) {
        if (name == null || name.isEmpty()) {
            return Optional.of("the name is empty");
        }
        if (name.length() > maxLength) {
            return Optional.of("the name is longer than " + maxLength + " characters");
        }
        if (name.indexOf('\\') >= 0) {
            return Optional.of("the name contains a backslash (a Windows path separator could escape the target)");
        }
        if (name.startsWith("/")) {
            return Optional.of("the name is an absolute path");
        }
        if (DRIVE.matcher(name).matches()) {
            return Optional.of("the name starts with a drive letter");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return Optional.of("the name contains a control character (code " + (int) c + ")");
            }
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty()) {
                return Optional.of("the name has an empty segment (a doubled or trailing '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("the name has a '" + segment + "' segment (path traversal)");
            }
        }
        return Optional.empty();
    }

    /** Why {@code path} is not a role file path ({@code approot/...} or {@code sitesroot/<n>/...}), or empty. */
    public static Optional<String> roleFileProblem(String path, int maxLength) {
        Optional<String> p = problem(path, maxLength);
        if (p.isPresent()) {
            return p;
        }
        if (!ROLE_PATH.matcher(path).matches()) {
            return Optional.of("a role file must be under approot/ or sitesroot/<n>/");
        }
        return Optional.empty();
    }

    /** Whether {@code name} is a valid role name (the NamedElementNameString rule of the service definition). */
    public static boolean isRoleName(String name) {
        return name != null && !name.isEmpty() && name.length() <= 256 && ROLE_NAME.matcher(name).matches();
    }

    /**
     * Resolves {@code relative} inside {@code root} and proves it stays there.
     *
     * @throws PackageException when the normalized result escapes {@code root}
     */
    public static Path resolveInside(Path root, String relative, String entryForMessages) throws PackageException {
        Path normalizedRoot = root.toAbsolutePath().normalize();
        Path resolved = normalizedRoot.resolve(relative).normalize();
        if (!resolved.startsWith(normalizedRoot) || resolved.equals(normalizedRoot)) {
            throw new PackageException("entry '" + entryForMessages + "'",
                    "it would be written outside the extraction directory (path traversal)",
                    "rebuild the package with 'csemu pack'; do not use packages from untrusted sources");
        }
        return resolved;
    }
}
