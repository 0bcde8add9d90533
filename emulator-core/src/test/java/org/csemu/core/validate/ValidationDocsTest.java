package org.csemu.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/diagnostics.md lists every validator rule, with its severity, and no rule that does not exist. The parser's
 * schema rows put the .csdef and .cscfg codes in two columns, so they never match {@link #ROW}; the parser's codes
 * are checked by ParserDiagnosticsDocsTest.
 */
class ValidationDocsTest {

    private static final Pattern ROW = Pattern.compile("^\\| ((?:CSDEF|CSCFG|SVC)\\d{3}) \\| (error|warning|info)", Pattern.MULTILINE);

    @Test
    void everyRuleIsDocumentedWithItsSeverity() throws IOException {
        Path doc = Path.of(System.getProperty("csemu.root", "../..")).resolve("docs/diagnostics.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher m = ROW.matcher(text);
        while (m.find()) {
            assertThat(documented.put(m.group(1), m.group(2))).as("documented twice: " + m.group(1)).isNull();
        }
        Map<String, String> registered = new LinkedHashMap<>();
        new ServiceModelValidator(ValidationLimits.defaults()).rules()
                .forEach(r -> registered.put(r.code(), r.severity().label()));
        assertThat(documented).containsExactlyInAnyOrderEntriesOf(registered);
    }

    @Test
    void theModuleTableMatchesTheCatalog() throws IOException {
        Path doc = Path.of(System.getProperty("csemu.root", "../..")).resolve("docs/diagnostics.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        for (PluginModule module : PluginModules.all()) {
            String row = text.lines().filter(l -> l.startsWith("| " + module.name() + " |")).findFirst().orElseThrow();
            module.requiredSettings().forEach(s -> assertThat(row).contains(s.substring(module.namePrefix().length())));
            module.optionalSettings().forEach(s -> assertThat(row).contains(s.substring(module.namePrefix().length())));
            module.certificates().forEach(c -> assertThat(row).contains(c.substring(module.namePrefix().length())));
        }
    }
}
