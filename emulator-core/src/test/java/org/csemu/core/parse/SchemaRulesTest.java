package org.csemu.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;
import org.junit.jupiter.api.Test;

/**
 * One test per family of schema rule, each with a valid and an invalid variant; the invalid one asserts code,
 * line, column and a message that names the element, the attribute and the value. The body of
 * {@link TestFiles#worker} starts on line 4; Xerces reports the position just after the start tag's '>'.
 */
class SchemaRulesTest {

    private static final ServiceModelParser PARSER = new ServiceModelParser();

    private static ParseResult<ServiceDefinition> definition(String roleBody) {
        return PARSER.parseDefinition("ServiceDefinition.csdef", TestFiles.utf8(TestFiles.worker(roleBody)));
    }

    private static ParseResult<ServiceConfiguration> configuration(String roleBody) {
        return PARSER.parseConfiguration("ServiceConfiguration.cscfg", TestFiles.utf8(TestFiles.configuration(roleBody)));
    }

    /** 1-based column just after the first '>' of the line, where SAX reports a start tag. */
    private static int afterTag(String line) {
        return line.indexOf('>') + 2;
    }

    private static Diagnostic single(ParseResult<?> result) {
        assertThat(result.ok()).isFalse();
        assertThat(result.model()).isEmpty();
        assertThat(result.diagnostics()).hasSize(1);
        Diagnostic d = result.diagnostics().get(0);
        assertThat(d.severity()).isEqualTo(Severity.ERROR);
        return d;
    }

    @Test
    void portRange() {
        assertThat(definition("    <Endpoints><InputEndpoint name=\"In\" protocol=\"tcp\" port=\"65535\"/></Endpoints>\n").ok()).isTrue();

        String line = "      <InputEndpoint name=\"HttpIn\" protocol=\"tcp\" port=\"70000\"/>";
        Diagnostic d = single(definition("    <Endpoints>\n" + line + "\n    </Endpoints>\n"));
        assertThat(d.code()).isEqualTo("CSDEF003");
        assertThat(d.line()).isEqualTo(5);
        assertThat(d.column()).isEqualTo(afterTag(line));
        assertThat(d.message()).isEqualTo("InputEndpoint@port '70000' is out of range: a port is 1..65535 (InputEndpoint 'HttpIn' in WorkerRole 'Worker')");
        assertThat(d.fix()).contains("1 to 65535");
        assertThat(d.format()).startsWith("ServiceDefinition.csdef:5:" + afterTag(line) + ": error CSDEF003 InputEndpoint@port '70000' is out of range");
    }

    @Test
    void probeIntervalAndTimeoutMinimaAreAllReported() {
        String probes = "<ServiceDefinition name=\"S\" xmlns=\"" + TestFiles.CSDEF_NS + "\">\n"
                + "  <LoadBalancerProbes>\n"
                + "    <LoadBalancerProbe name=\"p\" protocol=\"http\" path=\"/\" intervalInSeconds=\"%s\" timeoutInSeconds=\"%s\"/>\n"
                + "  </LoadBalancerProbes>\n"
                + "  <WorkerRole name=\"W\"/>\n"
                + "</ServiceDefinition>\n";
        assertThat(PARSER.parseDefinition("p.csdef", TestFiles.utf8(String.format(probes, 5, 11))).ok()).isTrue();

        ParseResult<ServiceDefinition> bad = PARSER.parseDefinition("p.csdef", TestFiles.utf8(String.format(probes, 4, 10)));
        assertThat(bad.diagnostics()).extracting(Diagnostic::code, Diagnostic::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("CSDEF003", 3), org.assertj.core.groups.Tuple.tuple("CSDEF003", 3));
        assertThat(bad.diagnostics().get(0).message()).contains("LoadBalancerProbe@intervalInSeconds '4'", "at least 5");
        assertThat(bad.diagnostics().get(1).message()).contains("LoadBalancerProbe@timeoutInSeconds '10'", "at least 11");
    }

    @Test
    void enumeration() {
        assertThat(definition("    <Startup><Task commandLine=\"a.cmd\" taskType=\"background\"/></Startup>\n").ok()).isTrue();

        String line = "    <Startup><Task commandLine=\"a.cmd\" taskType=\"Background\"/></Startup>";
        Diagnostic d = single(definition(line + "\n"));
        assertThat(d.code()).isEqualTo("CSDEF004");
        assertThat(d.line()).isEqualTo(4);
        assertThat(d.column()).isEqualTo(line.indexOf("/>") + 3);
        assertThat(d.message()).isEqualTo("Task@taskType 'Background' is not one of the allowed values: simple, background, foreground"
                + " (Task 'a.cmd' in WorkerRole 'Worker')");
    }

    @Test
    void namingPattern() {
        assertThat(definition("    <ConfigurationSettings><Setting name=\"My.Setting_1\"/></ConfigurationSettings>\n").ok()).isTrue();

        String line = "    <ConfigurationSettings><Setting name=\"Bad:Name\"/></ConfigurationSettings>";
        Diagnostic d = single(definition(line + "\n"));
        assertThat(d.code()).isEqualTo("CSDEF005");
        assertThat(d.line()).isEqualTo(4);
        assertThat(d.column()).isEqualTo(line.indexOf("/>") + 3);
        assertThat(d.message()).startsWith("Setting@name 'Bad:Name' is not valid: a name starts with a letter or '_'");
    }

    @Test
    void requiredAttribute() {
        String line = "    <Endpoints><InputEndpoint name=\"In\" port=\"80\"/></Endpoints>";
        Diagnostic d = single(definition(line + "\n"));
        assertThat(d.code()).isEqualTo("CSDEF007");
        assertThat(d.line()).isEqualTo(4);
        assertThat(d.column()).isEqualTo(line.indexOf("/>") + 3);
        assertThat(d.message()).isEqualTo("InputEndpoint@protocol is required but missing (in WorkerRole 'Worker')");
        assertThat(d.fix()).isEqualTo("add protocol=\"...\" to <InputEndpoint>");
    }

    @Test
    void unknownAttribute() {
        String line = "    <Endpoints><InputEndpoint name=\"In\" protocol=\"tcp\" port=\"80\" localport=\"8080\"/></Endpoints>";
        Diagnostic d = single(definition(line + "\n"));
        assertThat(d.code()).isEqualTo("CSDEF008");
        assertThat(d.line()).isEqualTo(4);
        assertThat(d.column()).isEqualTo(line.indexOf("/>") + 3);
        assertThat(d.message()).contains("InputEndpoint@localport is not an attribute");
        assertThat(d.fix()).contains("case-sensitive");
    }

    @Test
    void wrongType() {
        String line = "    <Runtime><EntryPoint><ProgramEntryPoint commandLine=\"run\" setReadyOnProcessStart=\"yes\"/></EntryPoint></Runtime>";
        Diagnostic d = single(definition(line + "\n"));
        assertThat(d.code()).isEqualTo("CSDEF006");
        assertThat(d.line()).isEqualTo(4);
        assertThat(d.column()).isEqualTo(line.indexOf("/>") + 3);
        assertThat(d.message()).contains("ProgramEntryPoint@setReadyOnProcessStart 'yes'", "'true' or 'false'");
    }

    @Test
    void valueLength() {
        assertThat(definition("    <Startup><Task commandLine=\"x\"/></Startup>\n").ok()).isTrue();

        String line = "    <Startup><Task commandLine=\"\"/></Startup>";
        Diagnostic d = single(definition(line + "\n"));
        assertThat(d.code()).isEqualTo("CSDEF009");
        assertThat(d.line()).isEqualTo(4);
        assertThat(d.column()).isEqualTo(line.indexOf("/>") + 3);
        assertThat(d.message()).startsWith("Task@commandLine '' has the wrong length");

        Diagnostic tooLong = single(definition("    <Startup><Task commandLine=\"" + "x".repeat(257) + "\"/></Startup>\n"));
        assertThat(tooLong.code()).isEqualTo("CSDEF009");
        assertThat(tooLong.message()).contains("at most 256");
    }

    @Test
    void textIsNotAllowedInElements() {
        String line = "    <Endpoints>80</Endpoints>";
        Diagnostic d = single(definition(line + "\n"));
        assertThat(d.code()).isEqualTo("CSDEF010");
        assertThat(d.line()).isEqualTo(4);
        // reported when the element ends: just after its end tag
        assertThat(d.column()).isEqualTo(line.indexOf("</Endpoints>") + "</Endpoints>".length() + 1);
        assertThat(d.message()).startsWith("element <Endpoints> must not contain text");
    }

    @Test
    void legacyInputEndpointsAreHttpOnly() {
        String csdef = "<ServiceDefinition name=\"Old\" xmlns=\"" + TestFiles.CSDEF_NS + "\">\n"
                + "  <WebRole name=\"Web\">\n"
                + "    <InputEndpoints><InputEndpoint name=\"In\" protocol=\"tcp\" port=\"80\"/></InputEndpoints>\n"
                + "  </WebRole>\n"
                + "</ServiceDefinition>\n";
        Diagnostic d = single(PARSER.parseDefinition("old.csdef", TestFiles.utf8(csdef)));
        assertThat(d.code()).isEqualTo("CSDEF004");
        assertThat(d.line()).isEqualTo(3);
        assertThat(d.message()).contains("legacy <InputEndpoints>");
    }

    @Test
    void unexpectedAndMissingElements() {
        // a web-role-only element in a worker role; a ProgramEntryPoint in a web role
        Diagnostic unexpected = single(definition("    <Sites/>\n"));
        assertThat(unexpected.code()).isEqualTo("CSDEF001");
        assertThat(unexpected.line()).isEqualTo(4);
        assertThat(unexpected.column()).isEqualTo(13);
        assertThat(unexpected.message()).isEqualTo("element <Sites> is not allowed here in <WorkerRole 'Worker'>");

        String web = "<ServiceDefinition name=\"S\" xmlns=\"" + TestFiles.CSDEF_NS + "\">\n"
                + "  <WebRole name=\"Web\">\n"
                + "    <Runtime><EntryPoint><ProgramEntryPoint commandLine=\"x\" setReadyOnProcessStart=\"true\"/></EntryPoint></Runtime>\n"
                + "  </WebRole>\n"
                + "</ServiceDefinition>\n";
        List<Diagnostic> webDiagnostics = PARSER.parseDefinition("w.csdef", TestFiles.utf8(web)).diagnostics();
        assertThat(webDiagnostics).extracting(Diagnostic::code).first().isEqualTo("CSDEF001");
        assertThat(webDiagnostics.get(0).fix()).contains("<NetFxEntryPoint>");

        Diagnostic missing = single(configuration("    <ConfigurationSettings/>\n"));
        assertThat(missing.code()).isEqualTo("CSCFG002");
        assertThat(missing.line()).isEqualTo(5);
        assertThat(missing.message()).isEqualTo("<Role 'Worker'> is missing its required <Instances> element");
    }

    @Test
    void roleChildrenInAnyOrderButEachOnce() {
        assertThat(definition("    <Endpoints/>\n    <Runtime/>\n    <Imports/>\n    <Startup/>\n    <ConfigurationSettings/>\n").ok()).isTrue();
        Diagnostic twice = single(definition("    <Imports/>\n    <Imports/>\n"));
        assertThat(twice.code()).isEqualTo("CSDEF001");
        assertThat(twice.line()).isEqualTo(5);
    }

    @Test
    void configurationRangesAndForms() {
        assertThat(configuration("    <Instances count=\"2\"/>\n").ok()).isTrue();

        Diagnostic count = single(configuration("    <Instances count=\"0\"/>\n"));
        assertThat(count.code()).isEqualTo("CSCFG003");
        assertThat(count.line()).isEqualTo(4);
        assertThat(count.column()).isEqualTo(27);

        ParseResult<ServiceConfiguration> cert = configuration("    <Instances count=\"1\"/>\n    <Certificates>\n"
                + "      <Certificate name=\"c\" thumbprint=\"not-hex\" thumbprintAlgorithm=\"md5\"/>\n    </Certificates>\n");
        assertThat(cert.diagnostics()).extracting(Diagnostic::code).containsExactly("CSCFG005", "CSCFG004");
        assertThat(cert.diagnostics()).allSatisfy(d -> assertThat(d.line()).isEqualTo(6));
    }

    @Test
    void allErrorsAreReportedNotOnlyTheFirst() {
        ParseResult<ServiceDefinition> result = definition("    <Endpoints>\n"
                + "      <InputEndpoint name=\"A\" protocol=\"tcp\" port=\"0\"/>\n"
                + "      <InputEndpoint name=\"B\" protocol=\"ftp\" port=\"80\"/>\n"
                + "      <InputEndpoint name=\"C\" protocol=\"tcp\" port=\"80\" idleTimeoutInMinutes=\"31\"/>\n"
                + "    </Endpoints>\n");
        assertThat(result.diagnostics()).extracting(d -> d.code() + "@" + d.line())
                .containsExactly("CSDEF003@5", "CSDEF004@6", "CSDEF003@7");
    }

    @Test
    void wrongRootOrNamespace() {
        Diagnostic noNamespace = single(PARSER.parseDefinition("a.csdef", TestFiles.utf8("<ServiceDefinition name=\"S\">\n  <WorkerRole name=\"W\"/>\n</ServiceDefinition>")));
        assertThat(noNamespace.code()).isEqualTo("XML006");
        assertThat(noNamespace.line()).isEqualTo(1);
        assertThat(noNamespace.column()).isEqualTo(29);
        assertThat(noNamespace.message()).contains("no namespace");
        assertThat(noNamespace.fix()).contains("xmlns=\"" + TestFiles.CSDEF_NS + "\"");

        String cscfg = TestFiles.configuration("    <Instances count=\"1\"/>\n");
        Diagnostic swapped = single(PARSER.parseDefinition("b.csdef", TestFiles.utf8(cscfg)));
        assertThat(swapped.code()).isEqualTo("XML006");
        assertThat(swapped.line()).isEqualTo(2);
        assertThat(swapped.message()).isEqualTo("this is a service configuration (.cscfg), not a service definition (.csdef)");

        Diagnostic other = single(PARSER.parseConfiguration("c.cscfg", TestFiles.utf8("<?xml version=\"1.0\"?>\n<project/>")));
        assertThat(other.code()).isEqualTo("XML006");
        assertThat(other.line()).isEqualTo(2);
        assertThat(other.column()).isEqualTo(11);
    }

    @Test
    void unknownSchemaVersionIsAccepted() {
        String csdef = TestFiles.worker("").replace("name=\"Svc\"", "name=\"Svc\" schemaVersion=\"2099-12.9.9\"");
        ParseResult<ServiceDefinition> result = PARSER.parseDefinition("s.csdef", TestFiles.utf8(csdef));
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.model().orElseThrow().schemaVersion()).isEqualTo("2099-12.9.9");

        String cscfg = TestFiles.configuration("<Instances count=\"1\"/>").replace("serviceName=\"Svc\"", "serviceName=\"Svc\" schemaVersion=\"future\"");
        assertThat(PARSER.parseConfiguration("s.cscfg", TestFiles.utf8(cscfg)).model().orElseThrow().schemaVersion()).isEqualTo("future");
    }
}
