package org.csemu.core.validate;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds where an element is in the raw text of a test file, independently of the parser, so a test can state where a
 * diagnostic must point. The position is the one SAX reports for a start tag, which the parser uses for every
 * element: the line of the start tag's closing {@code >} and the 1-based column just after it.
 */
final class SourceText {

    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w:.-]+)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')");

    record Position(int line, int column) {
    }

    private final String text;

    SourceText(String text) {
        this.text = text;
    }

    /** The {@code occurrence}-th (0-based) start tag of {@code element} whose attributes include {@code attributes}. */
    Position startTag(String element, Map<String, String> attributes, int occurrence) {
        Matcher open = Pattern.compile("<" + Pattern.quote(element) + "(?=[\\s/>])").matcher(text);
        int seen = 0;
        while (open.find()) {
            int end = endOfTag(open.start());
            String tag = text.substring(open.start(), end + 1);
            if (hasAttributes(tag, attributes) && seen++ == occurrence) {
                return positionAfter(end);
            }
        }
        throw new AssertionError("no <" + element + " " + attributes + "> #" + occurrence + " in the file");
    }

    Position startTag(String element, Map<String, String> attributes) {
        return startTag(element, attributes, 0);
    }

    private int endOfTag(int from) {
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return i;
            }
        }
        throw new AssertionError("unterminated tag at offset " + from);
    }

    private static boolean hasAttributes(String tag, Map<String, String> wanted) {
        Matcher m = ATTRIBUTE.matcher(tag);
        int matched = 0;
        while (m.find()) {
            String value = m.group(2) != null ? m.group(2) : m.group(3);
            if (value.equals(wanted.get(m.group(1)))) {
                matched++;
            }
        }
        return matched == wanted.size();
    }

    /** Line and 1-based column of the character after {@code index}. */
    private Position positionAfter(int index) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i <= index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Position(line, index - lineStart + 2);
    }
}
