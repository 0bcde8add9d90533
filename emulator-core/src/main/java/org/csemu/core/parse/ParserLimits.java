package org.csemu.core.parse;

/**
 * Hard limits the parser enforces itself, so that a hostile or broken file is refused quickly and with a clear
 * diagnostic whatever the JDK's own (version-dependent) JAXP defaults are.
 *
 * <p>Real service models are a few kilobytes, a handful of levels deep, with short attributes; the defaults leave
 * a wide margin above that and stay far below anything that costs noticeable time or memory.
 *
 * @param maxFileBytes        refuse a file larger than this before reading it (default 4 MiB)
 * @param maxAttributeBytes   longest attribute value, in UTF-8 bytes (default 64 KiB)
 * @param maxElementDepth     deepest element nesting; the root is depth 1 (default 64)
 * @param maxEntityExpansions entity expansions allowed (default 64); DTDs are refused anyway, this is the backstop
 *                            handed to the JDK parser so that no JDK default is relied upon
 * @param maxElements         total number of elements in one document (default 100,000)
 */
public record ParserLimits(long maxFileBytes, int maxAttributeBytes, int maxElementDepth, int maxEntityExpansions, int maxElements) {

    public static final long DEFAULT_MAX_FILE_BYTES = 4L * 1024 * 1024;
    public static final int DEFAULT_MAX_ATTRIBUTE_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_ELEMENT_DEPTH = 64;
    public static final int DEFAULT_MAX_ENTITY_EXPANSIONS = 64;
    public static final int DEFAULT_MAX_ELEMENTS = 100_000;

    public ParserLimits {
        requirePositive(maxFileBytes, "maxFileBytes");
        requirePositive(maxAttributeBytes, "maxAttributeBytes");
        requirePositive(maxElementDepth, "maxElementDepth");
        // 0 would mean "unlimited" to the JDK parser: never allow it
        requirePositive(maxEntityExpansions, "maxEntityExpansions");
        requirePositive(maxElements, "maxElements");
        if (maxFileBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxFileBytes must be below 2 GiB, was " + maxFileBytes);
        }
    }

    public static ParserLimits defaults() {
        return new ParserLimits(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_ATTRIBUTE_BYTES, DEFAULT_MAX_ELEMENT_DEPTH,
                DEFAULT_MAX_ENTITY_EXPANSIONS, DEFAULT_MAX_ELEMENTS);
    }

    public ParserLimits withMaxFileBytes(long value) {
        return new ParserLimits(value, maxAttributeBytes, maxElementDepth, maxEntityExpansions, maxElements);
    }

    public ParserLimits withMaxAttributeBytes(int value) {
        return new ParserLimits(maxFileBytes, value, maxElementDepth, maxEntityExpansions, maxElements);
    }

    public ParserLimits withMaxElementDepth(int value) {
        return new ParserLimits(maxFileBytes, maxAttributeBytes, value, maxEntityExpansions, maxElements);
    }

    public ParserLimits withMaxElements(int value) {
        return new ParserLimits(maxFileBytes, maxAttributeBytes, maxElementDepth, maxEntityExpansions, value);
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
