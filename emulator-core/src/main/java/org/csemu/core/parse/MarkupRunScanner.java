package org.csemu.core.parse;

/**
 * A linear pre-scan of the raw bytes, before any parsing, for a run without a single {@code '<'} longer than a
 * bound. An attribute value cannot contain {@code '<'}, so a huge attribute (or text node) shows up as such a
 * run: refusing it here means the XML parser never buffers it, whatever the file-size limit is.
 *
 * <p>Code units: UTF-16 documents (recognised by their BOM or their first two characters) are scanned in 2-byte
 * units, everything else byte by byte (in UTF-8 and the other ASCII-compatible encodings the byte 0x3C only
 * ever means {@code '<'}).
 */
final class MarkupRunScanner {

    /** Where the over-long run reached the bound: 1-based line and column in code units. */
    record Position(int line, int column) {
    }

    private MarkupRunScanner() {
    }

    /** The position at which a run without '<' exceeds {@code maxRun} code units, or null when there is none. */
    static Position findRunLongerThan(byte[] content, long maxRun) {
        int unit = 1;
        boolean bigEndian = false;
        if (content.length >= 2) {
            int b0 = content[0] & 0xFF;
            int b1 = content[1] & 0xFF;
            if ((b0 == 0xFE && b1 == 0xFF) || (b0 == 0x00 && b1 == 0x3C)) {
                unit = 2;
                bigEndian = true;
            } else if ((b0 == 0xFF && b1 == 0xFE) || (b0 == 0x3C && b1 == 0x00)) {
                unit = 2;
            }
        }
        long run = 0;
        int line = 1;
        int column = 0;
        for (int i = 0; i + unit <= content.length; i += unit) {
            int c = unit == 1 ? content[i] & 0xFF
                    : bigEndian ? ((content[i] & 0xFF) << 8) | (content[i + 1] & 0xFF)
                    : ((content[i + 1] & 0xFF) << 8) | (content[i] & 0xFF);
            column++;
            if (c == '\n') {
                line++;
                column = 0;
            }
            if (c == '<') {
                run = 0;
            } else if (++run > maxRun) {
                return new Position(line, column);
            }
        }
        return null;
    }
}
