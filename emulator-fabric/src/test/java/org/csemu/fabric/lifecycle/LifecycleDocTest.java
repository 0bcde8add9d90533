package org.csemu.fabric.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/lifecycle.md carries the transition table generated from the code. To regenerate it after changing the
 * table: {@code mvn -pl emulator-fabric -am test -Dtest=LifecycleDocTest -Dcsemu.regenerateDocs=true}.
 */
class LifecycleDocTest {

    @Test
    void theDocumentedTableIsTheTableInTheCode() throws IOException {
        Path doc = Path.of(System.getProperty("csemu.root", "..")).resolve("docs/lifecycle.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(LifecycleDocRenderer.BEGIN);
        int end = text.indexOf(LifecycleDocRenderer.END);
        assertThat(begin).as("begin marker in " + doc).isNotNegative();
        assertThat(end).as("end marker in " + doc).isGreaterThan(begin);
        String generated = LifecycleDocRenderer.render(TransitionTable.get());
        String documented = text.substring(begin, end + LifecycleDocRenderer.END.length());
        if (Boolean.getBoolean("csemu.regenerateDocs") && !documented.equals(generated)) {
            Files.writeString(doc, text.substring(0, begin) + generated
                    + text.substring(end + LifecycleDocRenderer.END.length()), StandardCharsets.UTF_8);
            documented = generated;
        }
        assertThat(documented).as("docs/lifecycle.md is stale; regenerate it (see this test's Javadoc)")
                .isEqualTo(generated);
    }
}
