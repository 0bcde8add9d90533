package org.csemu.core.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.csemu.core.corpus.CorpusFiles;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.csemu.core.parse.ServiceModelParser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The acceptance test of the validator: every definition/configuration pair of the in-project corpus of real projects
 * produces exactly the diagnostics its MANIFEST.tsv {@code XCHECK} column calls for (code, severity, file, line,
 * column, and the names in the message) and nothing else; clean pairs produce none. The expectations are derived
 * from the manifest, so an entry this test does not understand fails it instead of being skipped.
 */
class CorpusValidationTest {

    private static final ServiceModelLoader LOADER =
            new ServiceModelLoader(new ServiceModelParser(), new ServiceModelValidator(ValidationLimits.defaults()));
    private static final ServiceModelParser PARSER = new ServiceModelParser();

    private static final Pattern SCHEMA_VERSION = Pattern.compile("schemaVersion cscfg=(\\S+) vs csdef=(\\S+)");
    private static final Pattern MISSING = Pattern.compile(
            "\\[([^\\]]+)] settings declared in csdef \\(incl\\. Import-implied\\) but missing in cscfg: \\[(.*)]");
    private static final Pattern UNDECLARED = Pattern.compile("\\[([^\\]]+)] settings in cscfg not declared in csdef: \\[(.*)]");
    private static final Pattern SERVICE_NAME = Pattern.compile("serviceName '([^']*)' != csdef name '([^']*)'");
    private static final Pattern OTHER_FOLDER = Pattern.compile("paired with csdef in other folder: (.+?\\.csdef)");
    private static final String ORPHAN = "no matching csdef saved/found (orphan cscfg)";
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final Pattern LOWER_CASE_THUMBPRINT = Pattern.compile("\\[([^\\]]+)] certificate '([^']*)' thumbprint in lower case");
    private static final Pattern ENTRY_NOT_ON_LINUX = Pattern.compile("\\[(\\w+) ([^\\]]+)] entry point will not run on Linux: '([^']*)'");
    private static final Pattern TASKS_NOT_ON_LINUX = Pattern.compile("\\[(\\w+) ([^\\]]+)] startup tasks will not run on Linux: \\[(.*)]");
    /** Any one diagnostic, spelled out: code, severity, the file it is in, line:column, and the names its message gives. */
    private static final Pattern EXACT = Pattern.compile("((?:XML|CSDEF|CSCFG|SVC)\\d{3}) (error|warning) (csdef|cscfg) (\\d+):(\\d+)((?: '[^']*')*)");

    /** One expected diagnostic: where, what, and the names its message (or fix) must contain. */
    record Expected(String code, Severity severity, Path file, SourceText.Position at, List<String> names) {
        boolean matches(Diagnostic d) {
            return d.code().equals(code) && d.severity() == severity && d.file().equals(file.toString())
                    && d.line() == at.line() && d.column() == at.column()
                    && names.stream().allMatch(n -> said(d, "'" + n + "'") || said(d, n));
        }

        /** The message, or its fix, says it. */
        private static boolean said(Diagnostic d, String text) {
            return d.message().contains(text) || (d.fix() != null && d.fix().contains(text));
        }
    }

    record Entry(String localPath, String notes) {
        Path path() {
            return corpus().resolve(localPath);
        }

        String folder() {
            return localPath.substring(0, localPath.indexOf('/'));
        }

        String fileName() {
            return localPath.substring(localPath.indexOf('/') + 1);
        }

        /** The XCHECK clauses: the text after "XCHECK:", split on " | ". */
        List<String> xchecks() {
            int at = notes.indexOf("XCHECK:");
            if (at < 0) {
                return List.of();
            }
            return List.of(notes.substring(at + "XCHECK:".length()).trim().split(" \\| "));
        }
    }

    record Pair(Entry csdef, Entry cscfg) {
    }

    static Path corpus() {
        return CorpusFiles.root();
    }

    static List<Entry> manifest() throws IOException {
        List<String> lines = Files.readAllLines(corpus().resolve("MANIFEST.tsv"), StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        List<String> header = List.of(lines.get(0).split("\t", -1));
        int path = header.indexOf("local_path");
        int notes = header.indexOf("notes");
        int licence = header.indexOf("licence");
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                String[] cols = line.split("\t", -1);
                assertThat(cols[licence]).as("licence of " + cols[path]).isNotBlank();
                entries.add(new Entry(cols[path], cols.length > notes ? cols[notes] : ""));
            }
        }
        return entries;
    }

    @Test
    void everyCorpusFileIsInTheManifest() throws IOException {
        List<String> listed = manifest().stream().map(Entry::localPath).sorted().toList();
        try (Stream<Path> files = Files.walk(corpus())) {
            List<String> present = files.filter(Files::isRegularFile)
                    .map(p -> corpus().relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.endsWith(".csdef") || p.endsWith(".cscfg")).sorted().toList();
            assertThat(present).containsExactlyElementsOf(listed);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyPairProducesExactlyTheManifestDiagnostics() throws IOException {
        List<Entry> entries = manifest();
        Map<String, List<Entry>> byFolder = new LinkedHashMap<>();
        entries.forEach(e -> byFolder.computeIfAbsent(e.folder(), f -> new ArrayList<>()).add(e));
        List<DynamicTest> tests = new ArrayList<>();
        List<Entry> pairedDefinitions = new ArrayList<>();
        for (var folder : byFolder.entrySet()) {
            List<Entry> csdefs = folder.getValue().stream().filter(e -> e.localPath().endsWith(".csdef")).toList();
            for (Entry cscfg : folder.getValue().stream().filter(e -> e.localPath().endsWith(".cscfg")).toList()) {
                Optional<Entry> csdef = pairFor(cscfg, csdefs, entries);
                if (csdef.isPresent()) {
                    pairedDefinitions.add(csdef.get());
                    tests.add(DynamicTest.dynamicTest(cscfg.localPath(), () -> checkPair(new Pair(csdef.get(), cscfg))));
                } else {
                    tests.add(DynamicTest.dynamicTest(cscfg.localPath() + " (orphan: parsed only)", () -> checkOrphan(cscfg)));
                }
            }
            for (Entry csdef : csdefs) {
                if (!pairedDefinitions.contains(csdef)) {
                    tests.add(DynamicTest.dynamicTest(csdef.localPath() + " (definition only)", () -> checkDefinitionOnly(csdef)));
                }
            }
        }
        return tests.stream();
    }

    /** Same folder and prefix; or the one definition of the folder; or the one the manifest names. */
    private static Optional<Entry> pairFor(Entry cscfg, List<Entry> csdefs, List<Entry> all) {
        for (String check : cscfg.xchecks()) {
            Matcher m = OTHER_FOLDER.matcher(check);
            if (m.find()) {
                String wanted = cscfg.folder() + "/" + m.group(1).replace("/", "__");
                return Optional.of(all.stream().filter(e -> e.localPath().equals(wanted)).findFirst()
                        .orElseThrow(() -> new AssertionError("manifest pairs " + cscfg.localPath() + " with missing " + wanted)));
            }
        }
        String prefix = cscfg.fileName().substring(0, cscfg.fileName().indexOf("ServiceConfiguration"));
        Optional<Entry> samePrefix = csdefs.stream().filter(d -> d.fileName().equals(prefix + "ServiceDefinition.csdef")).findFirst();
        if (samePrefix.isPresent()) {
            return samePrefix;
        }
        if (csdefs.size() == 1) {
            return Optional.of(csdefs.get(0));
        }
        if (!cscfg.xchecks().contains(ORPHAN)) {
            fail(cscfg.localPath() + " has no definition to pair with and the manifest does not call it an orphan");
        }
        return Optional.empty();
    }

    private static void checkPair(Pair pair) throws IOException {
        List<Expected> expected = expectations(pair);
        LoadResult result = LOADER.load(pair.csdef().path(), pair.cscfg().path());
        assertExactly(result.diagnostics(), expected);
        if (!schemaErrorExpected(expected, "CSDEF")) {
            assertThat(result.definition()).as("the definition is read when no schema error of it is expected").isPresent();
        }
        if (!schemaErrorExpected(expected, "CSCFG")) {
            assertThat(result.configuration()).as("the configuration is read when no schema error of it is expected").isPresent();
        }
        assertThat(result.ok()).as("ok() is false exactly when an error is expected")
                .isEqualTo(expected.stream().noneMatch(e -> e.severity() == Severity.ERROR));
    }

    /** Whether a schema-level error (CSDEF0nn / CSCFG0nn) is expected: a file that breaks the schema may have no model. */
    private static boolean schemaErrorExpected(List<Expected> expected, String prefix) {
        return expected.stream().anyMatch(e -> e.severity() == Severity.ERROR && e.code().matches(prefix + "0\\d\\d"));
    }

    private static void checkOrphan(Entry cscfg) {
        var parsed = PARSER.parseConfiguration(cscfg.path());
        assertThat(parsed.diagnostics()).extracting(Diagnostic::format).isEmpty();
        assertThat(parsed.ok()).isTrue();
    }

    private static void checkDefinitionOnly(Entry csdef) throws IOException {
        LoadResult result = LOADER.loadDefinition(csdef.path());
        assertExactly(result.diagnostics(), definitionExpectations(csdef));
        assertThat(result.definition()).isPresent();
    }

    /**
     * The expected diagnostics of a definition, from its own XCHECK clauses: what a Linux guest cannot run
     * (CSDEF127 warnings: the entry point at its role, each task at its Task). Unknown clauses fail.
     */
    static List<Expected> definitionExpectations(Entry csdef) throws IOException {
        Path defPath = csdef.path();
        SourceText def = new SourceText(Files.readString(defPath, StandardCharsets.UTF_8));
        List<Expected> expected = new ArrayList<>();
        for (String check : csdef.xchecks()) {
            Matcher m;
            if ((m = ENTRY_NOT_ON_LINUX.matcher(check)).matches()) {
                expected.add(new Expected("CSDEF127", Severity.WARNING, defPath, def.startTag(m.group(1), Map.of("name", m.group(2))),
                        List.of(m.group(2), m.group(3))));
            } else if ((m = TASKS_NOT_ON_LINUX.matcher(check)).matches()) {
                for (String task : quoted(m.group(3))) {
                    expected.add(new Expected("CSDEF127", Severity.WARNING, defPath, def.startTag("Task", Map.of("commandLine", task)),
                            List.of(m.group(2), task)));
                }
            } else if ((m = EXACT.matcher(check)).matches() && m.group(3).equals("csdef")) {
                expected.add(exact(m, defPath));
            } else {
                fail("definition XCHECK clause not understood (teach this test what it means): " + check);
            }
        }
        return expected;
    }

    /** The expected diagnostics of a pair, from the configuration's XCHECK clauses. Unknown clauses fail. */
    static List<Expected> expectations(Pair pair) throws IOException {
        Path cfgPath = pair.cscfg().path();
        SourceText cfg = new SourceText(Files.readString(cfgPath, StandardCharsets.UTF_8));
        List<Expected> expected = new ArrayList<>(definitionExpectations(pair.csdef()));
        for (String check : pair.cscfg().xchecks()) {
            Matcher m;
            if ((m = SCHEMA_VERSION.matcher(check)).matches()) {
                expected.add(new Expected("SVC108", Severity.WARNING, cfgPath, cfg.startTag("ServiceConfiguration", Map.of()),
                        List.of(m.group(1), m.group(2))));
            } else if ((m = MISSING.matcher(check)).matches()) {
                String role = m.group(1);
                for (String setting : quoted(m.group(2))) {
                    expected.add(new Expected("SVC104", Severity.ERROR, cfgPath, cfg.startTag("Role", Map.of("name", role)),
                            List.of(role, setting)));
                }
            } else if ((m = UNDECLARED.matcher(check)).matches()) {
                String role = m.group(1);
                for (String setting : quoted(m.group(2))) {
                    expected.add(new Expected("SVC105", Severity.ERROR, cfgPath,
                            cfg.startTag("Setting", Map.of("name", setting)), List.of(role, setting)));
                }
            } else if ((m = LOWER_CASE_THUMBPRINT.matcher(check)).matches()) {
                expected.add(new Expected("CSCFG104", Severity.WARNING, cfgPath, cfg.startTag("Certificate", Map.of("name", m.group(2))),
                        List.of(m.group(1), m.group(2))));
            } else if ((m = SERVICE_NAME.matcher(check)).matches()) {
                expected.add(new Expected("SVC101", Severity.ERROR, cfgPath, cfg.startTag("ServiceConfiguration", Map.of()),
                        List.of(m.group(1), m.group(2))));
            } else if ((m = EXACT.matcher(check)).matches()) {
                expected.add(exact(m, m.group(3).equals("csdef") ? pair.csdef().path() : cfgPath));
            } else if (!OTHER_FOLDER.matcher(check).matches()) {
                fail("XCHECK clause not understood (teach this test what it means): " + check);
            }
        }
        return expected;
    }

    /** An {@link #EXACT} clause: the diagnostic it spells out, in the given file. */
    private static Expected exact(Matcher m, Path file) {
        List<String> names = new ArrayList<>();
        Matcher q = QUOTED.matcher(m.group(6));
        while (q.find()) {
            names.add(q.group(1));
        }
        return new Expected(m.group(1), Severity.valueOf(m.group(2).toUpperCase(java.util.Locale.ROOT)), file,
                new SourceText.Position(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))), names);
    }

    private static List<String> quoted(String list) {
        List<String> names = new ArrayList<>();
        Matcher m = QUOTED.matcher(list);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).as("names in " + list).isNotEmpty();
        return names;
    }

    /** Each expected diagnostic is matched by exactly one actual one, and no actual one is left over. */
    static void assertExactly(List<Diagnostic> actual, List<Expected> expected) {
        List<Diagnostic> unmatched = new ArrayList<>(actual);
        List<Expected> missing = new ArrayList<>();
        for (Expected e : expected) {
            Optional<Diagnostic> hit = unmatched.stream().filter(e::matches).findFirst();
            if (hit.isPresent()) {
                unmatched.remove(hit.get());
            } else {
                missing.add(e);
            }
        }
        if (!missing.isEmpty() || !unmatched.isEmpty()) {
            fail("expected but missing:\n  " + String.join("\n  ", missing.stream().map(Object::toString).toList())
                    + "\nunexpected:\n  " + String.join("\n  ", unmatched.stream().map(Diagnostic::format).toList()));
        }
    }
}
