package org.csemu.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps the fast loop honest: a test class that boots guests (its name ends in {@code VmTest}, or it calls one of
 * the given VM fixtures, e.g. {@code new VmTestEnvironment}) must carry {@link VmTest}, or {@code mvn -Pfast} would
 * boot VMs after all. A module's test runs this over its own test sources.
 */
public final class VmTestConvention {

    private VmTestConvention() {
    }

    /**
     * The test sources under {@code root} that look like VM tests but carry no {@code @VmTest}.
     *
     * @param vmFixtures calls that make a VM test, without the parenthesis ({@code "LiveDaemon.create"}); a file
     *                   counts when one is followed by {@code (}
     */
    public static List<Path> untagged(Path root, List<String> vmFixtures) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith("Test.java"))
                    .filter(p -> {
                        String text = read(p);
                        boolean vm = p.getFileName().toString().endsWith("VmTest.java")
                                || vmFixtures.stream().anyMatch(f -> text.contains(f + "("));
                        return vm && !text.contains("@VmTest");
                    })
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
