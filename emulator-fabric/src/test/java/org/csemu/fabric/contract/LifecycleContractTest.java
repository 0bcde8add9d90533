package org.csemu.fabric.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.csemu.fabric.contract.LifecycleContract.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle contract on {@code FakeRuntime} (the same rows {@code LifecycleContractVmTest} runs on real VMs),
 * and docs/lifecycle.md's copy of the table kept current (regenerate with {@code -Dcsemu.regenerateDocs=true}).
 */
class LifecycleContractTest {

    static Path service() throws Exception {
        return Path.of(LifecycleContractTest.class.getResource("/services/lifecycle-probe").toURI());
    }

    @Test
    void everyRowHoldsOnTheFakeRuntime(@TempDir Path dir) throws Exception {
        Map<Row, String> fake = new ContractRunner(new FakeContractTarget(dir, service())).run();
        System.out.println(ContractRunner.table(null, fake));
        assertThat(fake).hasSize(LifecycleContract.ROWS.size());
        assertThat(ContractRunner.failing(fake)).as("rows the fake runtime fails").isEmpty();
    }

    @Test
    void theDocumentedContractIsTheTableInTheCode() throws Exception {
        Path doc = Path.of(System.getProperty("csemu.root", "..")).resolve("docs/lifecycle.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        String generated = LifecycleContract.markdown();
        int begin = text.indexOf(LifecycleContract.BEGIN);
        int end = text.indexOf(LifecycleContract.END);
        if (Boolean.getBoolean("csemu.regenerateDocs") && (begin < 0 || end < begin)) {
            throw new AssertionError("add the markers " + LifecycleContract.BEGIN + " / " + LifecycleContract.END
                    + " to " + doc + " first");
        }
        assertThat(begin).as("contract table begin marker in " + doc).isNotNegative();
        assertThat(end).as("contract table end marker in " + doc).isGreaterThan(begin);
        String documented = text.substring(begin, end + LifecycleContract.END.length());
        if (Boolean.getBoolean("csemu.regenerateDocs") && !documented.equals(generated)) {
            Files.writeString(doc, text.substring(0, begin) + generated
                    + text.substring(end + LifecycleContract.END.length()), StandardCharsets.UTF_8);
            documented = generated;
        }
        assertThat(documented).as("docs/lifecycle.md's contract table is stale; regenerate it (see the Javadoc)")
                .isEqualTo(generated);
    }
}
