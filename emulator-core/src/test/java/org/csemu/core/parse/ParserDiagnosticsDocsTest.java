package org.csemu.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docs/diagnostics.md lists every code the parser can emit (all errors), and no parser code that does not exist.
 * Every parser code comes from {@link XmlCodes} or {@link SchemaRule#code}, so those two are the complete list.
 */
class ParserDiagnosticsDocsTest {

    private static final Pattern XML_ROW = Pattern.compile("^\\| (XML\\d{3}) \\| (\\w+) \\|", Pattern.MULTILINE);
    /** Schema rows: {@code | CSDEF001 | CSCFG001 | error |}, with {@code —} where a rule has no code for that file. */
    private static final Pattern SCHEMA_ROW = Pattern.compile("^\\| (CSDEF0\\d\\d|—) \\| (CSCFG0\\d\\d|—) \\| (\\w+) \\|", Pattern.MULTILINE);

    @Test
    void everyParserCodeIsDocumentedAsAnError() throws IOException {
        String text = Files.readString(Path.of(System.getProperty("csemu.root", "../..")).resolve("docs/diagnostics.md"),
                StandardCharsets.UTF_8);
        List<String> documented = new ArrayList<>();
        Matcher xml = XML_ROW.matcher(text);
        while (xml.find()) {
            assertThat(xml.group(2)).as(xml.group(1)).isEqualTo("error");
            documented.add(xml.group(1));
        }
        Matcher schema = SCHEMA_ROW.matcher(text);
        while (schema.find()) {
            assertThat(schema.group(3)).as(schema.group(0)).isEqualTo("error");
            for (String code : List.of(schema.group(1), schema.group(2))) {
                if (!code.equals("—")) {
                    documented.add(code);
                }
            }
        }
        assertThat(documented).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(documented)).containsExactlyElementsOf(emittable());
    }

    private static TreeSet<String> emittable() {
        TreeSet<String> codes = new TreeSet<>();
        for (Field field : XmlCodes.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    field.setAccessible(true);
                    codes.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        for (SchemaRule rule : SchemaRule.values()) {
            for (DocumentKind kind : DocumentKind.values()) {
                if (rule.appliesTo(kind)) {
                    codes.add(rule.code(kind));
                }
            }
        }
        return codes;
    }
}
