package org.csemu.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.csemu.testing.VmTestConvention;
import org.junit.jupiter.api.Test;

/** Every test of the CLI that boots guests is tagged, so {@code mvn -Pfast} leaves it out and CI runs it. */
class VmTestTagsTest {

    @Test
    void everyTestThatBootsGuestsCarriesTheVmTag() {
        assertThat(VmTestConvention.untagged(Path.of("src/test/java"), List.of("LiveDaemon.create", "Chromium.start")))
                .isEmpty();
    }
}
