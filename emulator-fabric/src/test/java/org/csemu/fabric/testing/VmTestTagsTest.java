package org.csemu.fabric.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.csemu.testing.VmTestConvention;
import org.junit.jupiter.api.Test;

/** Every test of this module that boots guests is tagged, so {@code mvn -Pfast} leaves it out and CI runs it. */
class VmTestTagsTest {

    @Test
    void everyTestThatBootsGuestsCarriesTheVmTag() {
        assertThat(VmTestConvention.untagged(Path.of("src/test/java"),
                List.of("new VmTestEnvironment"))).isEmpty();
    }
}
