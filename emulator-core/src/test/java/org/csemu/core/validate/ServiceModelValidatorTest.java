package org.csemu.core.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.core.validate.Fixtures.cleanConfiguration;
import static org.csemu.core.validate.Fixtures.cleanDefinition;
import static org.csemu.core.validate.Fixtures.inputEndpoint;
import static org.csemu.core.validate.Fixtures.probe;
import static org.csemu.core.validate.Fixtures.value;
import static org.csemu.core.validate.Fixtures.vmRole;
import static org.csemu.core.validate.Fixtures.webRole;
import static org.csemu.core.validate.Fixtures.workerRole;
import static org.csemu.core.validate.Fixtures.xpath;

import java.util.List;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.EnvironmentVariable;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.InstanceInputEndpoint;
import org.csemu.core.model.LoadBalancerDistribution;
import org.csemu.core.model.LoadBalancerProbe.ProbeProtocol;
import org.csemu.core.model.NetworkConfiguration;
import org.csemu.core.model.PortRange;
import org.csemu.core.model.Protocol;
import org.csemu.core.model.SourceLocation;
import org.csemu.core.model.TrafficRule;
import org.junit.jupiter.api.Test;

/** One positive and one negative test per rule, on records built directly (no parser). */
class ServiceModelValidatorTest {

    private static final String THUMB = "8E2E5AB368A106DE36210A9E00C9369766ACFEE8";

    private final ServiceModelValidator validator = new ServiceModelValidator(ValidationLimits.defaults());

    private List<Diagnostic> validate(Fixtures.Def def, Fixtures.Cfg cfg) {
        return validator.validate(def.build(), cfg.build());
    }

    /** Every diagnostic has the code, there are {@code count} of them, and the severity matches. */
    private static List<Diagnostic> assertOnly(List<Diagnostic> diagnostics, String code, Severity severity, int count) {
        assertThat(diagnostics).as(diagnostics.toString()).hasSize(count)
                .allSatisfy(d -> {
                    assertThat(d.code()).isEqualTo(code);
                    assertThat(d.severity()).isEqualTo(severity);
                    assertThat(d.fix()).isNotBlank();
                });
        return diagnostics;
    }

    private static void assertAt(Diagnostic d, SourceLocation at) {
        assertThat(d.file()).isEqualTo(at.file());
        assertThat(d.line()).isEqualTo(at.line());
        assertThat(d.column()).isEqualTo(at.column());
    }

    @Test
    void cleanServiceHasNoDiagnostics() {
        assertThat(validate(cleanDefinition(), cleanConfiguration())).isEmpty();
        assertThat(validator.validateDefinition(cleanDefinition().build())).isEmpty();
    }

    @Test
    void everyRuleHasAUniqueCodeMatchingItsScope() {
        var rules = validator.rules();
        assertThat(rules.stream().map(ValidationRule::code)).doesNotHaveDuplicates()
                .allMatch(c -> c.matches("(CSDEF|CSCFG|SVC)1\\d\\d"));
        assertThat(rules).allSatisfy(r -> assertThat(r.code()).startsWith(r.scope().codePrefix()));
    }

    // ---- CSDEF101 names
    @Test
    void csdef101_rejectsNamesOutsideThePattern() {
        var def = cleanDefinition().role(workerRole("bad:role")).role(workerRole("_ok.role_"));
        def.role("Web").setting("ends.with.dot.");
        var cfg = cleanConfiguration().role(new Fixtures.RoleCfg("bad:role")).role(new Fixtures.RoleCfg("_ok.role_"));
        cfg.role("Web").setting("ends.with.dot.", "x");
        var ds = assertOnly(validate(def, cfg), "CSDEF101", Severity.ERROR, 2);
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("role name 'bad:role'"));
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("setting of role 'Web'").contains("'ends.with.dot.'"));
    }

    @Test
    void csdef101_acceptsDotsUnderscoresAndSpacesInside() {
        assertThat(Names.isNamedElementName("NuGet.Services.SecureSearch")).isTrue();
        assertThat(Names.isNamedElementName("_a b-c")).isTrue();
        assertThat(Names.isNamedElementName("1abc")).isFalse();
        assertThat(Names.isNamedElementName("abc ")).isFalse();
        assertThat(Names.isNamedElementName("a|b")).isFalse();
    }

    // ---- CSDEF102 duplicate roles
    @Test
    void csdef102_rejectsTwoRolesWithOneName() {
        var def = cleanDefinition().role(workerRole("Worker"));
        var ds = assertOnly(validate(def, cleanConfiguration()), "CSDEF102", Severity.ERROR, 1);
        assertAt(ds.get(0), def.roles.get(2).location);
    }

    @Test
    void csdef102_acceptsDistinctRoleNames() {
        var def = cleanDefinition().role(workerRole("Worker2"));
        assertThat(validate(def, cleanConfiguration().role(new Fixtures.RoleCfg("Worker2")))).isEmpty();
    }

    // ---- CSDEF103 no roles
    @Test
    void csdef103_rejectsAServiceWithoutRoles() {
        var ds = validator.validateDefinition(new Fixtures.Def("empty").build());
        assertOnly(ds, "CSDEF103", Severity.ERROR, 1);
    }

    @Test
    void csdef103_acceptsOneRole() {
        assertThat(validator.validateDefinition(new Fixtures.Def("one").role(workerRole("W")).build())).isEmpty();
    }

    // ---- CSDEF104 role limit
    @Test
    void csdef104_rejectsMoreRolesThanTheLimit_andWarnsWhenAsked() {
        var def = new Fixtures.Def("many");
        for (int i = 0; i < 26; i++) {
            def.role(workerRole("R" + i));
        }
        assertOnly(validator.validateDefinition(def.build()), "CSDEF104", Severity.ERROR, 1);
        var lenient = new ServiceModelValidator(new ValidationLimits(25, 25, 25, 50, true));
        assertOnly(lenient.validateDefinition(def.build()), "CSDEF104", Severity.WARNING, 1);
        var raised = new ServiceModelValidator(new ValidationLimits(26, 25, 25, 50, false));
        assertThat(raised.validateDefinition(def.build())).isEmpty();
    }

    @Test
    void csdef104_acceptsExactlyTheLimit() {
        var def = new Fixtures.Def("many");
        for (int i = 0; i < 25; i++) {
            def.role(workerRole("R" + i));
        }
        assertThat(validator.validateDefinition(def.build())).isEmpty();
    }

    // ---- CSDEF105 endpoint limits
    @Test
    void csdef105_rejectsTooManyInputOrInternalEndpoints() {
        var role = workerRole("W");
        for (int i = 0; i < 26; i++) {
            role.input("in" + i, Protocol.TCP, 1000 + i).internal("int" + i, Protocol.TCP, 2000 + i);
        }
        var ds = assertOnly(validator.validateDefinition(new Fixtures.Def("s").role(role).build()), "CSDEF105",
                Severity.ERROR, 2);
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("26 input"));
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("26 internal"));
    }

    @Test
    void csdef105_countsInstanceInputAsInputAndAcceptsTheLimit() {
        var role = workerRole("W");
        for (int i = 0; i < 24; i++) {
            role.input("in" + i, Protocol.TCP, 1000 + i);
        }
        role.instanceInput("rdp", Protocol.TCP, 3389, 10000, 10010);
        assertThat(validator.validateDefinition(new Fixtures.Def("s").role(role).build())).isEmpty();
        role.instanceInput("ssh", Protocol.TCP, 22, 11000, 11010);
        assertOnly(validator.validateDefinition(new Fixtures.Def("s").role(role).build()), "CSDEF105", Severity.ERROR, 1);
    }

    // ---- CSDEF106 endpoint names
    @Test
    void csdef106_rejectsAnEndpointNameUsedTwiceInARole() {
        var def = cleanDefinition();
        def.role("Web").internal("HttpIn", Protocol.HTTP, 8080);
        var ds = assertOnly(validate(def, cleanConfiguration()), "CSDEF106", Severity.ERROR, 1);
        assertThat(ds.get(0).message()).contains("role 'Web'").contains("'HttpIn'");
    }

    @Test
    void csdef106_acceptsTheSameEndpointNameInTwoRoles() {
        var def = cleanDefinition();
        def.role("Worker").internal("HttpIn", Protocol.TCP, 8080);
        assertThat(validate(def, cleanConfiguration())).isEmpty();
    }

    // ---- CSDEF107 protocols
    @Test
    void csdef107_rejectsProtocolsTheEndpointKindDoesNotAllow() {
        var def = cleanDefinition();
        def.role("Worker").input("any", Protocol.ANY, 81).internal("secure", Protocol.HTTPS, 9001)
                .instanceInput("web", Protocol.HTTP, 80, 10000, 10009);
        var ds = assertOnly(validate(def, cleanConfiguration()), "CSDEF107", Severity.ERROR, 3);
        assertThat(ds).anySatisfy(d -> assertThat(d.fix()).contains("use tcp for http/https"));
    }

    @Test
    void csdef107_acceptsEachKindsProtocols() {
        var def = cleanDefinition();
        def.role("Worker").input("u", Protocol.UDP, 53).internal("a", Protocol.ANY, 0)
                .instanceInput("t", Protocol.TCP, 22, 10000, 10009);
        assertThat(validate(def, cleanConfiguration())).isEmpty();
    }

    // ---- CSDEF108 VIP ports
    @Test
    void csdef108_rejectsAPortUsedByTwoRolesAndOverlappingRanges() {
        var def = cleanDefinition();
        def.role("Worker").input("Api", Protocol.TCP, 80).instanceInput("rdp", Protocol.TCP, 3389, 10000, 10010);
        def.role("Web").instanceInput("ssh", Protocol.TCP, 22, 10005, 10020);
        var ds = assertOnly(validate(def, cleanConfiguration()), "CSDEF108", Severity.ERROR, 2);
        assertThat(ds).anySatisfy(d -> assertThat(d.message())
                .contains("port 80/tcp of input endpoint 'Api' of role 'Worker'")
                .contains("input endpoint 'HttpIn' of role 'Web'"));
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("ports 10000-10010/tcp")
                .contains("ports 10005-10020/tcp"));
    }

    @Test
    void csdef108_rejectsAnInputEndpointOnTheRemoteForwarderPort() {
        var def = cleanDefinition();
        def.role("Web").imports("RemoteAccess").imports("RemoteForwarder");
        def.role("Worker").input("Rdp", Protocol.TCP, 3389);
        var cfg = cleanConfiguration();
        remoteForwarder(remoteAccess(cfg.role("Web")));
        var ds = assertOnly(validate(def, cfg), "CSDEF108", Severity.ERROR, 1);
        assertThat(ds.get(0).message()).contains("port 3389/tcp of input endpoint 'Rdp' of role 'Worker'")
                .contains("declared by the RemoteForwarder import");
    }

    @Test
    void csdef108_acceptsTcpAndUdpOnOnePortAndAdjacentRanges() {
        var def = cleanDefinition();
        def.role("Worker").input("dns", Protocol.UDP, 80).instanceInput("a", Protocol.TCP, 22, 10000, 10009);
        def.role("Web").instanceInput("b", Protocol.TCP, 22, 10010, 10019);
        assertThat(validate(def, cleanConfiguration())).isEmpty();
    }

    // ---- CSDEF109 https certificates
    @Test
    void csdef109_rejectsHttpsWithoutOrWithAnUnknownCertificate_andACertificateOnHttp() {
        var def = cleanDefinition();
        def.role("Web").certificate("SslCert")
                .input(withCertificate(inputEndpoint("s1", Protocol.HTTPS, 443), null))
                .input(withCertificate(inputEndpoint("s2", Protocol.HTTPS, 444), "SslCrt"))
                .input(withCertificate(inputEndpoint("p", Protocol.HTTP, 8080), "SslCert"));
        var cfg = cleanConfiguration();
        cfg.role("Web").certificate("SslCert", THUMB);
        var ds = assertOnly(validate(def, cfg), "CSDEF109", Severity.ERROR, 3);
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("'s2'").contains("did you mean 'SslCert'"));
    }

    @Test
    void csdef109_acceptsHttpsNamingARoleCertificate() {
        var def = cleanDefinition();
        def.role("Web").certificate("SslCert").input(withCertificate(inputEndpoint("s", Protocol.HTTPS, 443), "SslCert"));
        var cfg = cleanConfiguration();
        cfg.role("Web").certificate("SslCert", THUMB);
        assertThat(validate(def, cfg)).isEmpty();
    }

    // ---- CSDEF110 probe references
    @Test
    void csdef110_rejectsAnUnknownProbe() {
        var def = cleanDefinition().probe(probe("health", ProbeProtocol.HTTP, "/health", 15, 31));
        def.role("Worker").input(withProbe(inputEndpoint("api", Protocol.TCP, 81), "helth"));
        var ds = assertOnly(validate(def, cleanConfiguration()), "CSDEF110", Severity.ERROR, 1);
        assertThat(ds.get(0).message()).contains("'helth'").contains("did you mean 'health'");
    }

    @Test
    void csdef110_acceptsADeclaredProbe() {
        var def = cleanDefinition().probe(probe("health", ProbeProtocol.HTTP, "/health", 15, 31));
        def.role("Worker").input(withProbe(inputEndpoint("api", Protocol.TCP, 81), "health"));
        assertThat(validate(def, cleanConfiguration())).isEmpty();
    }

    // ---- CSDEF111 bindings
    @Test
    void csdef111_rejectsBindingsToUnknownOrNonHttpEndpoints() {
        var def = cleanDefinition();
        def.role("Web").input("Raw", Protocol.TCP, 9000).site("Admin", "Raw", "HttpInn");
        var ds = assertOnly(validate(def, cleanConfiguration()), "CSDEF111", Severity.ERROR, 2);
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("'Raw'").contains("not an http/https"));
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("'HttpInn'").contains("did you mean 'HttpIn'"));
    }

    @Test
    void csdef111_acceptsHttpsInputAndHttpInternalEndpoints() {
        var def = cleanDefinition();
        def.role("Web").certificate("c").input(withCertificate(inputEndpoint("Tls", Protocol.HTTPS, 443), "c"))
                .internal("Dash", Protocol.HTTP, 0).site("Admin", "Tls", "Dash");
        var cfg = cleanConfiguration();
        cfg.role("Web").certificate("c", THUMB);
        assertThat(validate(def, cfg)).isEmpty();
    }

    // ---- CSDEF112 traffic rules
    @Test
    void csdef112_rejectsUnknownRolesAndNonInternalEndpoints() {
        var rule = new TrafficRule(List.of(
                new TrafficRule.RoleEndpointRef("Worker", "Peer", Fixtures.defAt()),
                new TrafficRule.RoleEndpointRef("Web", "HttpIn", Fixtures.defAt()),
                new TrafficRule.RoleEndpointRef("Wroker", "Peer", Fixtures.defAt())),
                false, List.of(new TrafficRule.RoleRef("Webb", Fixtures.defAt())), Fixtures.defAt());
        var ds = assertOnly(validate(cleanDefinition().trafficRule(rule), cleanConfiguration()), "CSDEF112",
                Severity.ERROR, 3);
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("'HttpIn'").contains("not an internal endpoint"));
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("'Wroker'").contains("did you mean 'Worker'"));
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("FromRole").contains("'Webb'"));
    }

    @Test
    void csdef112_acceptsRulesOnInternalEndpoints() {
        var rule = new TrafficRule(List.of(new TrafficRule.RoleEndpointRef("Worker", "Peer", Fixtures.defAt())),
                false, List.of(new TrafficRule.RoleRef("Web", Fixtures.defAt())), Fixtures.defAt());
        assertThat(validate(cleanDefinition().trafficRule(rule), cleanConfiguration())).isEmpty();
    }

    // ---- CSDEF113 probe settings
    @Test
    void csdef113_rejectsBadProbes() {
        var def = cleanDefinition()
                .probe(probe("a", ProbeProtocol.HTTP, null, 15, 31))
                .probe(probe("b", ProbeProtocol.TCP, "/x", 15, 31))
                .probe(probe("c", ProbeProtocol.TCP, null, 4, 31))
                .probe(probe("d", ProbeProtocol.TCP, null, 5, 10))
                .probe(probe("a", ProbeProtocol.TCP, null, 15, 31));
        var ds = assertOnly(validate(def, cleanConfiguration()), "CSDEF113", Severity.ERROR, 5);
        assertThat(ds).extracting(Diagnostic::message).anyMatch(m -> m.contains("declared twice"))
                .anyMatch(m -> m.contains("no path")).anyMatch(m -> m.contains("uses tcp but has path"))
                .anyMatch(m -> m.contains("intervalInSeconds=4")).anyMatch(m -> m.contains("timeoutInSeconds=10"));
    }

    @Test
    void csdef113_acceptsTheMinimums() {
        var def = cleanDefinition().probe(probe("a", ProbeProtocol.HTTP, "/", 5, 11)).probe(probe("b", ProbeProtocol.TCP, null, 5, 11));
        assertThat(validate(def, cleanConfiguration())).isEmpty();
    }

    // ---- CSDEF114 probe timing (warning)
    @Test
    void csdef114_warnsWhenTheTimeoutIsUnderTwoIntervals() {
        var def = cleanDefinition().probe(probe("a", ProbeProtocol.TCP, null, 15, 20));
        var ds = assertOnly(validate(def, cleanConfiguration()), "CSDEF114", Severity.WARNING, 1);
        assertThat(ds.get(0).fix()).contains("31");
    }

    @Test
    void csdef114_acceptsTheDefaults() {
        assertThat(validate(cleanDefinition().probe(probe("a", ProbeProtocol.TCP, null, 15, 31)), cleanConfiguration())).isEmpty();
    }

    // ---- CSDEF115 upgrade domains
    @Test
    void csdef115_rejectsUpgradeDomainCountOutsideOneToTwenty() {
        assertOnly(validate(cleanDefinition().upgradeDomainCount(21), cleanConfiguration()), "CSDEF115", Severity.ERROR, 1);
        assertOnly(validate(cleanDefinition().upgradeDomainCount(0), cleanConfiguration()), "CSDEF115", Severity.ERROR, 1);
    }

    @Test
    void csdef115_acceptsOneAndTwenty() {
        assertThat(validate(cleanDefinition().upgradeDomainCount(1), cleanConfiguration())).isEmpty();
        assertThat(validate(cleanDefinition().upgradeDomainCount(20), cleanConfiguration())).isEmpty();
    }

    // ---- CSDEF116 idle timeout
    @Test
    void csdef116_rejectsIdleTimeoutsOutsideFourToThirty() {
        var def = cleanDefinition();
        def.role("Worker").input(withIdle(inputEndpoint("a", Protocol.TCP, 81), 3))
                .instanceInput(new InstanceInputEndpoint("b", Protocol.TCP, 22, new PortRange(10000, 10009), 31, Fixtures.defAt()));
        assertOnly(validate(def, cleanConfiguration()), "CSDEF116", Severity.ERROR, 2);
    }

    @Test
    void csdef116_acceptsTheBoundsAndAnAbsentInstanceInputTimeout() {
        var def = cleanDefinition();
        def.role("Worker").input(withIdle(inputEndpoint("a", Protocol.TCP, 81), 30))
                .input(withIdle(inputEndpoint("b", Protocol.TCP, 82), 4))
                .instanceInput("c", Protocol.TCP, 22, 10000, 10009);
        assertThat(validate(def, cleanConfiguration())).isEmpty();
    }

    // ---- CSDEF117 local storage
    @Test
    void csdef117_rejectsLocalStorageNamesThatClashIgnoringCase() {
        var def = cleanDefinition();
        def.role("Worker").localStorage("cache").localStorage("Cache");
        var ds = assertOnly(validate(def, cleanConfiguration()), "CSDEF117", Severity.ERROR, 1);
        assertAt(ds.get(0), def.role("Worker").localStorage.get(1).location());
    }

    @Test
    void csdef117_acceptsDistinctNames() {
        var def = cleanDefinition();
        def.role("Worker").localStorage("cache").localStorage("logs");
        assertThat(validate(def, cleanConfiguration())).isEmpty();
    }

    // ---- CSDEF118 variable value
    @Test
    void csdef118_rejectsBothOrNeitherValueAndXPath() {
        var def = cleanDefinition();
        def.role("Worker").runtimeEnv(new EnvironmentVariable("BOTH", "x", "/RoleEnvironment/Deployment/@id", Fixtures.defAt()))
                .task("setup.sh", new EnvironmentVariable("NONE", null, null, Fixtures.defAt()));
        var ds = assertOnly(validate(def, cleanConfiguration()), "CSDEF118", Severity.ERROR, 2);
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("startup task 1 ('setup.sh') variable 'NONE'"));
    }

    @Test
    void csdef118_acceptsOneOfTheTwo() {
        var def = cleanDefinition();
        def.role("Worker").runtimeEnv(value("A", ""), xpath("B", "/RoleEnvironment/Deployment/@id"));
        assertThat(validate(def, cleanConfiguration())).isEmpty();
    }

    // ---- CSDEF119 xpaths
    @Test
    void csdef119_rejectsUndocumentedXPathsAndUnknownNames() {
        var def = cleanDefinition();
        def.role("Worker").localStorage("data").runtimeEnv(
                xpath("A", "/RoleEnvironment/CurrentInstance/@vmSize"),
                xpath("B", "/RoleEnvironment/CurrentInstance/ConfigurationSettings/ConfigurationSetting[@name='Storag']/@value"),
                xpath("C", "/RoleEnvironment/CurrentInstance/LocalResources/LocalResource[@name='dta']/@path"),
                xpath("D", "/RoleEnvironment/CurrentInstance/Endpoints/Endpoint[@name='Per']/@port"));
        var ds = assertOnly(validate(def, cleanConfiguration()), "CSDEF119", Severity.ERROR, 4);
        assertThat(ds).extracting(Diagnostic::message)
                .anyMatch(m -> m.contains("not a documented form"))
                .anyMatch(m -> m.contains("setting 'Storag'") && m.contains("did you mean 'Storage'"))
                .anyMatch(m -> m.contains("local resource 'dta'") && m.contains("did you mean 'data'"))
                .anyMatch(m -> m.contains("endpoint 'Per'") && m.contains("did you mean 'Peer'"));
    }

    @Test
    void csdef119_acceptsEveryDocumentedForm_includingModuleDeclaredNames() {
        var def = cleanDefinition();
        String ci = "/RoleEnvironment/CurrentInstance";
        def.role("Web").localStorage("data").runtimeEnv(
                xpath("a", "/RoleEnvironment/Deployment/@emulated"), xpath("b", "/RoleEnvironment/Deployment/@id"),
                xpath("c", ci + "/@id"), xpath("d", ci + "/@updateDomain"), xpath("e", ci + "/@faultDomain"),
                xpath("f", ci + "/@roleName"),
                xpath("g", ci + "/ConfigurationSettings/ConfigurationSetting[@name='Storage']/@value"),
                xpath("h", ci + "/ConfigurationSettings/ConfigurationSetting[@name=\"Microsoft.WindowsAzure.Plugins.Diagnostics.ConnectionString\"]/@value"),
                xpath("i", ci + "/LocalResources/LocalResource[@name='data']/@path"),
                xpath("j", ci + "/LocalResources/LocalResource[@name='DiagnosticStore']/@sizeInMB"),
                xpath("k", ci + "/Endpoints/Endpoint[@name='HttpIn']/@port"),
                xpath("l", ci + "/Endpoints/Endpoint[@name='HttpIn']/@address"),
                xpath("m", ci + "/Endpoints/Endpoint[@name='HttpIn']/@protocol"),
                xpath("n", ci + "/Endpoints/Endpoint[@name='Microsoft.WindowsAzure.Plugins.RemoteAccess.Rdp']/@port"));
        def.role("Web").imports("RemoteAccess");
        var cfg = cleanConfiguration();
        remoteAccess(cfg.role("Web"));
        assertThat(validate(def, cfg)).isEmpty();
    }

    // ---- CSDEF120 ProgramEntryPoint
    @Test
    void csdef120_rejectsAProgramEntryPointInAWebRole() {
        var def = cleanDefinition();
        def.role("Web").program("node server.js");
        var ds = assertOnly(validate(def, cleanConfiguration()), "CSDEF120", Severity.ERROR, 1);
        assertAt(ds.get(0), def.role("Web").location);
    }

    @Test
    void csdef120_acceptsItInAWorkerRole() {
        assertThat(validate(cleanDefinition(), cleanConfiguration())).isEmpty(); // Worker has one
    }

    // ---- CSDEF121 duplicate setting declaration
    @Test
    void csdef121_rejectsASettingDeclaredTwice() {
        var def = cleanDefinition();
        def.role("Worker").setting("Storage");
        assertOnly(validate(def, cleanConfiguration()), "CSDEF121", Severity.ERROR, 1);
    }

    @Test
    void csdef121_acceptsOneDeclarationPerRole() {
        var def = cleanDefinition();
        def.role("Worker").setting("Other");
        var cfg = cleanConfiguration();
        cfg.role("Worker").setting("Other", "");
        assertThat(validate(def, cfg)).isEmpty();
    }

    // ---- CSDEF122 explicit + module declaration (warning)
    @Test
    void csdef122_warnsWhenAnImportAlreadyDeclaresTheSetting() {
        var def = cleanDefinition();
        def.role("Web").setting("Microsoft.WindowsAzure.Plugins.Diagnostics.ConnectionString");
        assertOnly(validate(def, cleanConfiguration()), "CSDEF122", Severity.WARNING, 1);
    }

    @Test
    void csdef122_acceptsAnExplicitPluginSettingWithoutTheImport() {
        // dotnet/orleans declares the Diagnostics connection string explicitly and imports nothing.
        var def = cleanDefinition();
        def.role("Worker").setting("Microsoft.WindowsAzure.Plugins.Diagnostics.ConnectionString");
        var cfg = cleanConfiguration();
        cfg.role("Worker").setting("Microsoft.WindowsAzure.Plugins.Diagnostics.ConnectionString", "x");
        assertThat(validate(def, cfg)).isEmpty();
    }

    // ---- CSDEF123 duplicate certificate declaration
    @Test
    void csdef123_rejectsACertificateDeclaredTwice_alsoAgainstAModule() {
        var def = cleanDefinition();
        def.role("Worker").certificate("c").certificate("c").imports("RemoteAccess")
                .certificate("Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption");
        var cfg = cleanConfiguration();
        remoteAccess(cfg.role("Worker")).certificate("c", THUMB);
        var ds = assertOnly(validate(def, cfg), "CSDEF123", Severity.ERROR, 2);
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("declared by the RemoteAccess module import"));
    }

    @Test
    void csdef123_acceptsDistinctCertificates() {
        var def = cleanDefinition();
        def.role("Worker").certificate("a").certificate("b");
        var cfg = cleanConfiguration();
        cfg.role("Worker").certificate("a", THUMB).certificate("b", THUMB);
        assertThat(validate(def, cfg)).isEmpty();
    }

    // ---- CSDEF124 unknown module (warning)
    @Test
    void csdef124_warnsOnAnUnknownModule_andAcceptsItsSettingsUnchecked() {
        var def = cleanDefinition();
        def.role("Worker").imports("diagnostics").imports("WebDeploy");
        var cfg = cleanConfiguration();
        cfg.role("Worker").setting("Microsoft.WindowsAzure.Plugins.WebDeploy.Enabled", "true");
        var ds = assertOnly(validate(def, cfg), "CSDEF124", Severity.WARNING, 2);
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("did you mean 'Diagnostics'"));
    }

    @Test
    void csdef124_acceptsEveryKnownModule() {
        var def = cleanDefinition();
        var worker = def.role("Worker");
        var cfg = cleanConfiguration();
        var workerCfg = cfg.role("Worker");
        for (PluginModule m : PluginModules.all()) {
            worker.imports(m.name());
            m.requiredSettings().forEach(s -> workerCfg.setting(s, ""));
            m.certificates().forEach(c -> workerCfg.certificate(c, THUMB));
        }
        assertThat(validate(def, cfg)).isEmpty();
    }

    // ---- CSDEF125 duplicate import (warning)
    @Test
    void csdef125_warnsOnAModuleImportedTwice() {
        var def = cleanDefinition();
        def.role("Web").imports("Diagnostics");
        assertOnly(validate(def, cleanConfiguration()), "CSDEF125", Severity.WARNING, 1);
    }

    @Test
    void csdef125_acceptsSingleImports() {
        assertThat(validate(cleanDefinition(), cleanConfiguration())).isEmpty();
    }

    // ---- CSDEF126 RemoteForwarder
    @Test
    void csdef126_rejectsRemoteForwarderInTwoRoles() {
        var def = cleanDefinition();
        def.role("Web").imports("RemoteAccess").imports("RemoteForwarder");
        def.role("Worker").imports("RemoteAccess").imports("RemoteForwarder");
        var cfg = cleanConfiguration();
        remoteForwarder(remoteAccess(cfg.role("Web")));
        remoteForwarder(remoteAccess(cfg.role("Worker")));
        var ds = assertOnly(validate(def, cfg), "CSDEF126", Severity.ERROR, 1);
        assertAt(ds.get(0), def.role("Worker").imports.get(1).location());
    }

    @Test
    void csdef126_acceptsRemoteForwarderInOneRole() {
        var def = cleanDefinition();
        def.role("Web").imports("RemoteAccess").imports("RemoteForwarder");
        def.role("Worker").imports("RemoteAccess");
        var cfg = cleanConfiguration();
        remoteForwarder(remoteAccess(cfg.role("Web")));
        remoteAccess(cfg.role("Worker"));
        assertThat(validate(def, cfg)).isEmpty();
    }

    // ---- CSCFG101 instance count
    @Test
    void cscfg101_rejectsZeroInstances() {
        var cfg = cleanConfiguration();
        cfg.role("Worker").count(0);
        var ds = assertOnly(validate(cleanDefinition(), cfg), "CSCFG101", Severity.ERROR, 1);
        assertAt(ds.get(0), cfg.role("Worker").instancesLocation);
    }

    @Test
    void cscfg101_acceptsOne() {
        var cfg = cleanConfiguration();
        cfg.role("Web").count(1);
        assertThat(validate(cleanDefinition(), cfg)).isEmpty();
    }

    // ---- CSCFG102 instance limit
    @Test
    void cscfg102_rejectsMoreThanFiftyInstances_orWarnsWhenAsked() {
        var cfg = cleanConfiguration();
        cfg.role("Web").count(30);
        cfg.role("Worker").count(21);
        var ds = assertOnly(validate(cleanDefinition(), cfg), "CSCFG102", Severity.ERROR, 1);
        assertThat(ds.get(0).message()).contains("51").contains("role 'Worker' crosses it");
        var lenient = new ServiceModelValidator(new ValidationLimits(25, 25, 25, 50, true));
        assertOnly(lenient.validate(cleanDefinition().build(), cfg.build()), "CSCFG102", Severity.WARNING, 1);
        var raised = new ServiceModelValidator(new ValidationLimits(25, 25, 25, 100, false));
        assertThat(raised.validate(cleanDefinition().build(), cfg.build())).isEmpty();
    }

    @Test
    void cscfg102_acceptsFifty() {
        var cfg = cleanConfiguration();
        cfg.role("Web").count(30);
        cfg.role("Worker").count(20);
        assertThat(validate(cleanDefinition(), cfg)).isEmpty();
    }

    // ---- CSCFG103 thumbprint format
    @Test
    void cscfg103_rejectsNonHexOrWrongLengthThumbprintsAndOtherAlgorithms() {
        var def = cleanDefinition();
        def.role("Worker").certificate("a").certificate("b").certificate("c");
        var cfg = cleanConfiguration();
        cfg.role("Worker").certificate("a", "8E2E5AB368A106DE36210A9E00C9369766ACFEZZ")
                .certificate("b", "8E2E5AB368A106DE")
                .certificate("c", THUMB, "sha256");
        var ds = assertOnly(validate(def, cfg), "CSCFG103", Severity.ERROR, 3);
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("(16 characters)"));
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("'sha256'"));
    }

    @Test
    void cscfg103_acceptsFortyHexDigits() {
        var def = cleanDefinition();
        def.role("Worker").certificate("a");
        var cfg = cleanConfiguration();
        cfg.role("Worker").certificate("a", THUMB);
        assertThat(validate(def, cfg)).isEmpty();
    }

    // ---- CSCFG104 thumbprint style (warning)
    @Test
    void cscfg104_warnsOnWhitespaceAndLowerCase() {
        var def = cleanDefinition();
        def.role("Worker").certificate("a").certificate("b");
        var cfg = cleanConfiguration();
        cfg.role("Worker").certificate("a", "8e2e5ab368a106de36210a9e00c9369766acfee8")
                .certificate("b", "8E 2E 5A B3 68 A1 06 DE 36 21 0A 9E 00 C9 36 97 66 AC FE E8");
        var ds = assertOnly(validate(def, cfg), "CSCFG104", Severity.WARNING, 2);
        assertThat(ds).allSatisfy(d -> assertThat(d.fix()).contains(THUMB));
    }

    @Test
    void cscfg104_acceptsUpperCaseWithoutSpaces() {
        var def = cleanDefinition();
        def.role("Worker").certificate("a").certificate("b");
        var cfg = cleanConfiguration();
        cfg.role("Worker").certificate("a", THUMB).certificate("b", "0123456789ABCDEF0123456789ABCDEF01234567");
        assertThat(validate(def, cfg)).isEmpty();
    }

    // ---- CSCFG105 vmName
    @Test
    void cscfg105_rejectsInvalidVmNames() {
        var cfg = cleanConfiguration();
        cfg.role("Web").vmName("-web");
        cfg.role("Worker").vmName("worker-role-1");
        assertOnly(validate(cleanDefinition(), cfg), "CSCFG105", Severity.ERROR, 2);
    }

    @Test
    void cscfg105_acceptsTenCharacters() {
        var cfg = cleanConfiguration();
        cfg.role("Web").vmName("web-01");
        cfg.role("Worker").vmName("worker0001");
        assertThat(validate(cleanDefinition(), cfg)).isEmpty();
    }

    // ---- CSCFG106 duplicate role configuration
    @Test
    void cscfg106_rejectsARoleConfiguredTwice() {
        var cfg = cleanConfiguration().role(new Fixtures.RoleCfg("Worker").setting("Storage", "x"));
        assertOnly(validate(cleanDefinition(), cfg), "CSCFG106", Severity.ERROR, 1);
    }

    @Test
    void cscfg106_acceptsEachRoleOnce() {
        assertThat(validate(cleanDefinition(), cleanConfiguration())).isEmpty();
    }

    // ---- CSCFG107 / CSCFG108 duplicate settings
    @Test
    void cscfg107_rejectsASettingGivenTwiceWithDifferentValues() {
        var cfg = cleanConfiguration();
        cfg.role("Worker").setting("Storage", "other");
        var ds = assertOnly(validate(cleanDefinition(), cfg), "CSCFG107", Severity.ERROR, 1);
        assertAt(ds.get(0), cfg.role("Worker").settings.get(1).location());
    }

    @Test
    void cscfg107_acceptsTheSameSettingInTwoRoles() {
        assertThat(validate(cleanDefinition(), cleanConfiguration())).isEmpty(); // Storage in Web and Worker
    }

    @Test
    void cscfg108_warnsOnASettingGivenTwiceWithTheSameValue() {
        var cfg = cleanConfiguration();
        cfg.role("Worker").setting("Storage", "UseDevelopmentStorage=true");
        assertOnly(validate(cleanDefinition(), cfg), "CSCFG108", Severity.WARNING, 1);
    }

    // ---- CSCFG109 duplicate certificate reference
    @Test
    void cscfg109_rejectsACertificateGivenTwice() {
        var def = cleanDefinition();
        def.role("Worker").certificate("a");
        var cfg = cleanConfiguration();
        cfg.role("Worker").certificate("a", THUMB).certificate("a", THUMB);
        assertOnly(validate(def, cfg), "CSCFG109", Severity.ERROR, 1);
    }

    @Test
    void cscfg109_acceptsEachCertificateOnceEvenWithTheSameThumbprint() {
        var def = cleanDefinition();
        def.role("Worker").certificate("a").certificate("b");
        var cfg = cleanConfiguration();
        cfg.role("Worker").certificate("a", THUMB).certificate("b", THUMB);
        assertThat(validate(def, cfg)).isEmpty();
    }

    // ---- SVC101 service name
    @Test
    void svc101_rejectsADifferentServiceName() {
        var cfg = cleanConfiguration();
        cfg.serviceName = "other";
        var ds = assertOnly(validate(cleanDefinition(), cfg), "SVC101", Severity.ERROR, 1);
        assertAt(ds.get(0), cfg.location);
        assertThat(ds.get(0).message()).contains("'other'").contains("'svc'");
    }

    @Test
    void svc101_isCaseSensitive_andAcceptsTheSameName() {
        assertThat(validate(cleanDefinition(), cleanConfiguration())).isEmpty();
        var cfg = cleanConfiguration();
        cfg.serviceName = "SVC";
        assertOnly(validate(cleanDefinition(), cfg), "SVC101", Severity.ERROR, 1);
    }

    // ---- SVC102 / SVC103 roles both ways
    @Test
    void svc102_rejectsADefinedRoleMissingFromTheConfiguration() {
        var cfg = cleanConfiguration();
        cfg.roles.remove(cfg.role("Worker"));
        var ds = assertOnly(validate(cleanDefinition(), cfg), "SVC102", Severity.ERROR, 1);
        assertThat(ds.get(0).message()).contains("role 'Worker'");
        assertAt(ds.get(0), cfg.location);
    }

    @Test
    void svc102_acceptsAllRolesConfigured() {
        assertThat(validate(cleanDefinition(), cleanConfiguration())).isEmpty();
    }

    @Test
    void svc103_rejectsAnUnknownConfiguredRole_suggestingTheClosest() {
        var def = cleanDefinition();
        var cfg = cleanConfiguration();
        cfg.role("Worker").name = "Wroker";
        var ds = validate(def, cfg);
        assertThat(ds).extracting(Diagnostic::code).containsExactlyInAnyOrder("SVC102", "SVC103");
        var unknown = ds.stream().filter(d -> d.code().equals("SVC103")).findFirst().orElseThrow();
        assertThat(unknown.message()).contains("'Wroker'").contains("did you mean 'Worker'");
        assertAt(unknown, cfg.role("Wroker").location);
    }

    @Test
    void svc103_acceptsKnownRoles() {
        assertThat(validate(cleanDefinition(), cleanConfiguration())).isEmpty();
    }

    // ---- SVC104 / SVC105 settings both ways
    @Test
    void svc104_rejectsDeclaredSettingsWithoutValue_includingModuleImplied() {
        var cfg = cleanConfiguration();
        cfg.role("Web").settings.clear();
        var ds = assertOnly(validate(cleanDefinition(), cfg), "SVC104", Severity.ERROR, 2);
        assertThat(ds).allSatisfy(d -> assertAt(d, cfg.role("Web").location));
        assertThat(ds).anySatisfy(d -> assertThat(d.message())
                .contains("'Microsoft.WindowsAzure.Plugins.Diagnostics.ConnectionString'")
                .contains("declared by the Diagnostics module import"));
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("'Storage'").contains("declared in the definition"));
    }

    @Test
    void svc104_doesNotRequireVersionDependentModuleSettings() {
        var def = cleanDefinition();
        def.role("Worker").imports("Caching");
        var cfg = cleanConfiguration();
        cfg.role("Worker").setting("Microsoft.WindowsAzure.Plugins.Caching.NamedCaches", "")
                .setting("Microsoft.WindowsAzure.Plugins.Caching.CacheSizePercentage", "30")
                .setting("Microsoft.WindowsAzure.Plugins.Caching.ConfigStoreConnectionString", "x")
                .setting("Microsoft.WindowsAzure.Plugins.Caching.DiagnosticLevel", "1");
        assertThat(validate(def, cfg)).isEmpty();
    }

    @Test
    void svc105_rejectsUndeclaredSettings_pointingAtTheModuleToImport() {
        var cfg = cleanConfiguration();
        cfg.role("Worker").setting("Microsoft.WindowsAzure.Plugins.Caching.NamedCaches", "")
                .setting("Storag2", "x");
        var ds = assertOnly(validate(cleanDefinition(), cfg), "SVC105", Severity.ERROR, 2);
        assertThat(ds).anySatisfy(d -> {
            assertThat(d.message()).contains("role 'Worker'").contains("Caching module");
            assertThat(d.fix()).contains("<Import moduleName=\"Caching\"/>");
            assertAt(d, cfg.role("Worker").settings.get(1).location());
        });
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("'Storag2'").contains("did you mean 'Storage'"));
    }

    @Test
    void svc105_acceptsModuleSettingsWhenTheModuleIsImported() {
        assertThat(validate(cleanDefinition(), cleanConfiguration())).isEmpty();
    }

    // ---- SVC106 / SVC107 certificates both ways
    @Test
    void svc106_rejectsDeclaredCertificatesWithoutThumbprint_includingRemoteAccess() {
        var def = cleanDefinition();
        def.role("Worker").certificate("Ssl").imports("RemoteAccess");
        var cfg = cleanConfiguration();
        var worker = cfg.role("Worker");
        worker.setting("Microsoft.WindowsAzure.Plugins.RemoteAccess.Enabled", "true")
                .setting("Microsoft.WindowsAzure.Plugins.RemoteAccess.AccountUsername", "u")
                .setting("Microsoft.WindowsAzure.Plugins.RemoteAccess.AccountEncryptedPassword", "p")
                .setting("Microsoft.WindowsAzure.Plugins.RemoteAccess.AccountExpiration", "2030-01-01");
        var ds = assertOnly(validate(def, cfg), "SVC106", Severity.ERROR, 2);
        assertThat(ds).anySatisfy(d -> assertThat(d.message()).contains("'Ssl'"));
        assertThat(ds).anySatisfy(d -> assertThat(d.message())
                .contains("'Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption'"));
    }

    @Test
    void svc106_acceptsConfiguredCertificates() {
        var def = cleanDefinition();
        def.role("Worker").imports("RemoteAccess");
        var cfg = cleanConfiguration();
        remoteAccess(cfg.role("Worker"));
        assertThat(validate(def, cfg)).isEmpty();
    }

    @Test
    void svc107_rejectsUndeclaredCertificates() {
        var cfg = cleanConfiguration();
        cfg.role("Worker").certificate("Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption", THUMB)
                .certificate("Other", THUMB);
        var ds = assertOnly(validate(cleanDefinition(), cfg), "SVC107", Severity.ERROR, 2);
        assertThat(ds).anySatisfy(d -> assertThat(d.fix()).contains("<Import moduleName=\"RemoteAccess\"/>"));
    }

    @Test
    void svc107_acceptsDeclaredCertificates() {
        var def = cleanDefinition();
        def.role("Worker").certificate("Ssl");
        var cfg = cleanConfiguration();
        cfg.role("Worker").certificate("Ssl", THUMB);
        assertThat(validate(def, cfg)).isEmpty();
    }

    // ---- SVC108 schema version (warning)
    @Test
    void svc108_warnsWhenTheSchemaVersionsDiffer() {
        var ds = assertOnly(validate(cleanDefinition().schemaVersion("2013-10.2.2"),
                cleanConfiguration().schemaVersion("2015-04.2.6")), "SVC108", Severity.WARNING, 1);
        assertThat(ds.get(0).message()).contains("2015-04.2.6").contains("2013-10.2.2");
    }

    @Test
    void svc108_ignoresUnspecifiedVersions() {
        assertThat(validate(cleanDefinition().schemaVersion("2013-10.2.2"), cleanConfiguration())).isEmpty();
        assertThat(validate(cleanDefinition().schemaVersion("2014-06.2.4"),
                cleanConfiguration().schemaVersion("2014-06.2.4"))).isEmpty();
    }

    // ---- SVC109 instance input ranges
    @Test
    void svc109_rejectsARangeSmallerThanTheInstanceCount() {
        var def = cleanDefinition();
        def.role("Web").instanceInput("rdp", Protocol.TCP, 3389, 10000, 10000);
        var ds = assertOnly(validate(def, cleanConfiguration()), "SVC109", Severity.ERROR, 1);
        assertThat(ds.get(0).message()).contains("(1)").contains("2 instances");
        assertThat(ds.get(0).fix()).contains("max=\"10001\"");
    }

    @Test
    void svc109_acceptsARangeOfExactlyTheCount() {
        var def = cleanDefinition();
        def.role("Web").instanceInput("rdp", Protocol.TCP, 3389, 10000, 10001);
        assertThat(validate(def, cleanConfiguration())).isEmpty();
    }

    // ---- SVC110 / SVC111 OsImage
    @Test
    void svc110_rejectsAVirtualMachineRoleWithoutImage() {
        var def = cleanDefinition().role(vmRole("Vm"));
        var cfg = cleanConfiguration().role(new Fixtures.RoleCfg("Vm"));
        assertOnly(validate(def, cfg), "SVC110", Severity.ERROR, 1);
    }

    @Test
    void svc110_acceptsAVirtualMachineRoleWithImage() {
        var def = cleanDefinition().role(vmRole("Vm"));
        var cfg = cleanConfiguration().role(new Fixtures.RoleCfg("Vm").osImage("alpine-3.20"));
        assertThat(validate(def, cfg)).isEmpty();
    }

    @Test
    void svc111_warnsOnAnImageForAWorkerRole() {
        var cfg = cleanConfiguration();
        cfg.role("Worker").osImage("alpine-3.20");
        assertOnly(validate(cleanDefinition(), cfg), "SVC111", Severity.WARNING, 1);
    }

    @Test
    void svc111_acceptsNoImageForWebAndWorkerRoles() {
        assertThat(validate(cleanDefinition(), cleanConfiguration())).isEmpty();
    }

    // ---- CSCFG110 ACL rules
    @Test
    void cscfg110_rejectsBadRemoteSubnetsAndRepeatedOrdersNamingTheRuleAndTheFix() {
        var rules = List.of(
                new NetworkConfiguration.AclRule(100, "permit", "127.0.0.2/32", "", Fixtures.cfgAt()),
                new NetworkConfiguration.AclRule(200, "deny", "127.0.0/8", "", Fixtures.cfgAt()),
                new NetworkConfiguration.AclRule(300, "deny", "10.1.2.3/8", "", Fixtures.cfgAt()),
                new NetworkConfiguration.AclRule(400, "deny", "10.0.0.0/33", "", Fixtures.cfgAt()),
                new NetworkConfiguration.AclRule(100, "deny", "0.0.0.0/0", "", Fixtures.cfgAt()));
        var net = new NetworkConfiguration(List.of(), null, List.of(), List.of(),
                List.of(new NetworkConfiguration.AccessControl("office", rules, Fixtures.cfgAt())),
                List.of(new NetworkConfiguration.EndpointAcl("Web", "HttpIn", "office", Fixtures.cfgAt())),
                List.of(), Fixtures.cfgAt());
        var ds = assertOnly(validate(cleanDefinition(), cleanConfiguration().network(net)), "CSCFG110", Severity.ERROR, 4);
        assertThat(ds).extracting(Diagnostic::message)
                .anyMatch(m -> m.equals("AccessControl 'office': rule 200 has remoteSubnet '127.0.0/8', which is not "
                        + "an IPv4 CIDR block"))
                .anyMatch(m -> m.contains("rule 300") && m.contains("host bits set (the block is 10.0.0.0/8)"))
                .anyMatch(m -> m.contains("rule 400") && m.contains("/33 is above 32"))
                .anyMatch(m -> m.contains("rule 100: another rule of the list has order 100"));
        assertThat(ds.get(0).fix()).contains("a.b.c.d/n");
    }

    @Test
    void cscfg110_acceptsCidrBlocksAndBareAddresses() {
        var rules = List.of(
                new NetworkConfiguration.AclRule(1, "permit", "127.0.0.2", "", Fixtures.cfgAt()),
                new NetworkConfiguration.AclRule(2, "deny", "0.0.0.0/0", "", Fixtures.cfgAt()));
        var net = new NetworkConfiguration(List.of(), null, List.of(), List.of(),
                List.of(new NetworkConfiguration.AccessControl("office", rules, Fixtures.cfgAt())),
                List.of(new NetworkConfiguration.EndpointAcl("Web", "HttpIn", "office", Fixtures.cfgAt())),
                List.of(), Fixtures.cfgAt());
        assertThat(validate(cleanDefinition(), cleanConfiguration().network(net))).isEmpty();
    }

    // ---- SVC112 network references
    @Test
    void svc112_rejectsUnknownRolesEndpointsAccessControlsAndLoadBalancers() {
        var def = cleanDefinition();
        def.role("Worker").input(new InputEndpoint("ilb", Protocol.TCP, 81, 81, null, false, null, "intlb", 4,
                LoadBalancerDistribution.FIVE_TUPLE, Fixtures.defAt()));
        var net = new NetworkConfiguration(List.of(), "vnet",
                List.of(new NetworkConfiguration.InstanceAddress("Wbe", List.of("a"), List.of(), Fixtures.cfgAt())),
                List.of(), List.of(new NetworkConfiguration.AccessControl("office", List.of(), Fixtures.cfgAt())),
                List.of(new NetworkConfiguration.EndpointAcl("Web", "HttpOut", "office", Fixtures.cfgAt()),
                        new NetworkConfiguration.EndpointAcl("Web", "HttpIn", "ofice", Fixtures.cfgAt())),
                List.of(), Fixtures.cfgAt());
        var ds = assertOnly(validate(def, cleanConfiguration().network(net)), "SVC112", Severity.ERROR, 4);
        assertThat(ds).extracting(Diagnostic::message)
                .anyMatch(m -> m.contains("load balancer 'intlb'"))
                .anyMatch(m -> m.contains("InstanceAddress names role 'Wbe'") && m.contains("did you mean 'Web'"))
                .anyMatch(m -> m.contains("endpoint 'HttpOut'"))
                .anyMatch(m -> m.contains("access control 'ofice'"));
    }

    @Test
    void svc112_aVirtualIpEndpointNamesAnInputEndpointOfADefinedRole() {
        var def = cleanDefinition();
        var vip = new NetworkConfiguration.VirtualIp("IP1", List.of(
                new NetworkConfiguration.VipEndpoint("Web", "HttpIn", Fixtures.cfgAt()),
                new NetworkConfiguration.VipEndpoint("Wbe", "HttpIn", Fixtures.cfgAt()),
                new NetworkConfiguration.VipEndpoint("Web", "HttpOut", Fixtures.cfgAt())), Fixtures.cfgAt());
        var net = new NetworkConfiguration(List.of(), "vnet", List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(vip), Fixtures.cfgAt());
        var ds = assertOnly(validate(def, cleanConfiguration().network(net)), "SVC112", Severity.ERROR, 2);
        assertThat(ds).extracting(Diagnostic::message)
                .anyMatch(m -> m.equals("NetworkConfiguration: VirtualIP 'IP1' names role 'Wbe', which the definition does not "
                        + "define (did you mean 'Web'?)"))
                .anyMatch(m -> m.startsWith("NetworkConfiguration: VirtualIP 'IP1' names endpoint 'HttpOut' of role 'Web', "
                        + "which is not one of its input endpoints"));
        assertThat(ds).extracting(Diagnostic::fix).anyMatch(f -> f.contains("'HttpIn'"));
    }

    @Test
    void svc112_acceptsValidReferences() {
        var def = cleanDefinition();
        def.role("Worker").input(new InputEndpoint("ilb", Protocol.TCP, 81, 81, null, false, null, "intlb", 4,
                LoadBalancerDistribution.FIVE_TUPLE, Fixtures.defAt()));
        var net = new NetworkConfiguration(List.of(), "vnet",
                List.of(new NetworkConfiguration.InstanceAddress("Web", List.of("a"), List.of(), Fixtures.cfgAt())),
                List.of(), List.of(new NetworkConfiguration.AccessControl("office", List.of(), Fixtures.cfgAt())),
                List.of(new NetworkConfiguration.EndpointAcl("Web", "HttpIn", "office", Fixtures.cfgAt())),
                List.of(new NetworkConfiguration.LoadBalancerDefinition("intlb", "private", "a", null, Fixtures.cfgAt())),
                Fixtures.cfgAt());
        assertThat(validate(def, cleanConfiguration().network(net))).isEmpty();
    }

    // ---- ordering and definition-only scope
    @Test
    void diagnosticsAreSortedByFileLineAndColumn_andDefinitionOnlySkipsConfigurationRules() {
        var def = cleanDefinition().upgradeDomainCount(30);
        def.role("Web").program("x");
        var cfg = cleanConfiguration();
        cfg.serviceName = "other";
        var ds = validate(def, cfg);
        assertThat(ds).extracting(Diagnostic::code).containsExactly("CSDEF115", "CSDEF120", "SVC101");
        assertThat(validator.validateDefinition(def.build())).extracting(Diagnostic::code)
                .containsExactly("CSDEF115", "CSDEF120");
    }

    // ---- helpers
    private static Fixtures.RoleCfg remoteAccess(Fixtures.RoleCfg role) {
        return role.setting("Microsoft.WindowsAzure.Plugins.RemoteAccess.Enabled", "true")
                .setting("Microsoft.WindowsAzure.Plugins.RemoteAccess.AccountUsername", "u")
                .setting("Microsoft.WindowsAzure.Plugins.RemoteAccess.AccountEncryptedPassword", "p")
                .setting("Microsoft.WindowsAzure.Plugins.RemoteAccess.AccountExpiration", "2030-01-01")
                .certificate("Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption", THUMB);
    }

    private static Fixtures.RoleCfg remoteForwarder(Fixtures.RoleCfg role) {
        return role.setting("Microsoft.WindowsAzure.Plugins.RemoteForwarder.Enabled", "true");
    }

    private static InputEndpoint withCertificate(InputEndpoint e, String certificate) {
        return new InputEndpoint(e.name(), e.protocol(), e.port(), e.localPort(), certificate, e.ignoreRoleInstanceStatus(),
                e.loadBalancerProbe(), e.loadBalancer(), e.idleTimeoutInMinutes(), e.distribution(), e.location());
    }

    private static InputEndpoint withProbe(InputEndpoint e, String probe) {
        return new InputEndpoint(e.name(), e.protocol(), e.port(), e.localPort(), e.certificate(), e.ignoreRoleInstanceStatus(),
                probe, e.loadBalancer(), e.idleTimeoutInMinutes(), e.distribution(), e.location());
    }

    private static InputEndpoint withIdle(InputEndpoint e, int minutes) {
        return new InputEndpoint(e.name(), e.protocol(), e.port(), e.localPort(), e.certificate(), e.ignoreRoleInstanceStatus(),
                e.loadBalancerProbe(), e.loadBalancer(), minutes, e.distribution(), e.location());
    }
}
