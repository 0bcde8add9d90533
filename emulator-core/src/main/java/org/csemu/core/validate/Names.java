package org.csemu.core.validate;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The published naming patterns, and "did you mean" suggestions for misspelt names. */
final class Names {

    /**
     * NamedElementNameString of the definition schema: starts with a letter or {@code _}; none of
     * {@code \ / : * ? " < > | ` ' ^}; does not end with {@code .} or whitespace.
     */
    static final Pattern NAMED_ELEMENT = Pattern.compile("^[a-zA-Z_][^\\\\/:*?\"<>|`'^]*(?<![.\\s])$");

    /** VmNameString of the configuration schema: 1..10 letters, digits, hyphens; no hyphen first or last. */
    static final Pattern VM_NAME = Pattern.compile("^(?![\\-])[a-zA-Z0-9\\-]{1,10}(?<![\\-])$");

    private Names() {
    }

    static boolean isNamedElementName(String name) {
        return name != null && NAMED_ELEMENT.matcher(name).matches();
    }

    /** The candidate closest to {@code name} (case-insensitive edit distance), if it is close enough to be a typo. */
    static Optional<String> closest(String name, Collection<String> candidates) {
        if (name == null) {
            return Optional.empty();
        }
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int threshold = Math.max(2, name.length() / 3);
        return bestDistance <= threshold ? Optional.ofNullable(best) : Optional.empty();
    }

    /** " (did you mean 'X'?)" or "". */
    static String didYouMean(String name, Collection<String> candidates) {
        return closest(name, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** 'a', 'b', 'c' for messages. */
    static String quotedList(Collection<String> names) {
        return String.join(", ", names.stream().map(n -> "'" + n + "'").toList());
    }
}
