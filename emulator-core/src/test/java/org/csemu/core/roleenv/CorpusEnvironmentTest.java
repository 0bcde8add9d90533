package org.csemu.core.roleenv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.csemu.core.corpus.CorpusFiles;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.model.SourceLocation;
import org.csemu.core.parse.ParseResult;
import org.csemu.core.parse.ServiceModelParser;
import org.csemu.core.topology.InstancePlacement;
import org.csemu.core.topology.ServiceTopology;
import org.csemu.core.topology.TopologyPlanner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real services of the corpus that use RoleInstanceValue: every variable of every startup task and runtime of
 * every instance resolves, to the value the cloud would give (ports as declared, the guest's own address,
 * {@code emulated=true}, local resources under /csemu/local).
 */
class CorpusEnvironmentTest {

    private static final Map<String, String> EXPECTED = Map.of(
            "PORT", "80",
            "ADDRESS", RoleEnvironmentFactory.GUEST_ADDRESS,
            "EMULATED", "true",
            "RUBY_PATH", "/csemu/local/ruby/",
            "PYTHON_PATH", "/csemu/local/python/");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "smarx__pythonrole/ServiceDefinition.csdef | smarx__pythonrole/ServiceConfiguration.Cloud.cscfg | 6",
        "Blackmist__rubyrole/ServiceDefinition.csdef | Blackmist__rubyrole/ServiceConfiguration.Cloud.cscfg | 5",
        "smarx__packanddeploy/ServiceDefinition.csdef | | 2",
    })
    void every_role_instance_value_of_the_corpus_resolves(String csdef, String cscfg, int xpathVariablesPerInstance) throws Exception {
        ServiceModelParser parser = new ServiceModelParser();
        ParseResult<ServiceDefinition> def = parser.parseDefinition(corpus(csdef));
        assertThat(def.ok()).as(def.diagnostics().toString()).isTrue();
        ServiceDefinition definition = def.model().orElseThrow();
        ServiceConfiguration configuration = cscfg == null ? oneInstanceEach(definition) : parser.parseConfiguration(corpus(cscfg)).model().orElseThrow();
        ServiceTopology topology = new TopologyPlanner().plan(definition, configuration);
        assertThat(topology.allInstances()).isNotEmpty();

        for (InstancePlacement instance : topology.allInstances()) {
            RoleEnvironmentDocument doc = RoleEnvironmentDocument.generate(RoleEnvironmentFactory.forInstance(
                    "corpus", definition, configuration, topology, instance.id(), ANY_PORTS));
            EnvironmentResolver resolver = new EnvironmentResolver(doc, instance.id());
            RoleDefinition role = definition.role(instance.roleName()).orElseThrow();
            List<ResolvedVariable> all = new ArrayList<>(resolver.resolveRuntime(role));
            for (int t = 0; t < role.startupTasks().size(); t++) {
                all.addAll(resolver.resolveStartupTask(role, t));
            }
            List<ResolvedVariable> fromXpath = all.stream().filter(v -> v.xpath() != null).toList();
            assertThat(fromXpath).as(instance.id()).hasSize(xpathVariablesPerInstance);
            for (ResolvedVariable v : fromXpath) {
                assertThat(v.value()).as(instance.id() + " " + v.name() + " = " + v.xpath()).isEqualTo(EXPECTED.get(v.name()));
            }
        }
    }

    private static final EndpointPorts ANY_PORTS = new EndpointPorts() {
        @Override
        public OptionalInt assignedLocalPort(String instanceId, String endpointName) {
            return OptionalInt.of(20000);
        }

        @Override
        public OptionalInt peerPort(String instanceId, String endpointName) {
            return OptionalInt.of(30000);
        }
    };

    private static ServiceConfiguration oneInstanceEach(ServiceDefinition d) {
        return new ServiceConfiguration(d.name(), null, null, "unspecified", d.roles().stream()
                .map(r -> new RoleConfiguration(r.name(), null, 1, List.of(), List.of(), null, SourceLocation.UNKNOWN, SourceLocation.UNKNOWN))
                .toList(), Optional.empty(), Optional.empty(), SourceLocation.UNKNOWN);
    }

    private static Path corpus(String relative) {
        return CorpusFiles.file(relative);
    }
}
