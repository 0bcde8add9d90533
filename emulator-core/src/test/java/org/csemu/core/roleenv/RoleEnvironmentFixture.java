package org.csemu.core.roleenv;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.csemu.core.model.Endpoints;
import org.csemu.core.model.EnvironmentVariable;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.InstanceInputEndpoint;
import org.csemu.core.model.InternalEndpoint;
import org.csemu.core.model.LoadBalancerDistribution;
import org.csemu.core.model.LocalStorage;
import org.csemu.core.model.PortRange;
import org.csemu.core.model.Protocol;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleConfiguration.SettingValue;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.RoleKind;
import org.csemu.core.model.RoleRuntime;
import org.csemu.core.model.ExecutionContext;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.model.SettingDeclaration;
import org.csemu.core.model.SourceLocation;
import org.csemu.core.model.StartupTask;
import org.csemu.core.model.TaskType;
import org.csemu.core.model.TopologyChangeDiscovery;
import org.csemu.core.topology.ServiceTopology;
import org.csemu.core.topology.TopologyPlanner;

/** A two-role service built from records: Web (3 instances) and Worker (2 instances). */
final class RoleEnvironmentFixture {

    static final SourceLocation AT = new SourceLocation("ServiceDefinition.csdef", 12, 9);
    static final String TRICKY = "a<b>&c\"d'e\n\tf\r g é 😀";

    static final List<EnvironmentVariable> WEB_RUNTIME_ENV = List.of(
            new EnvironmentVariable("LITERAL", "plain value", null, AT),
            new EnvironmentVariable("PORT", null, "/RoleEnvironment/CurrentInstance/Endpoints/Endpoint[@name='HttpIn']/@port", AT),
            new EnvironmentVariable("EMULATED", null, "/RoleEnvironment/Deployment/@emulated", AT));

    static final RoleDefinition WEB = new RoleDefinition("Web", RoleKind.WEB_ROLE, "Small", true,
            new Endpoints(
                    List.of(new InputEndpoint("HttpIn", Protocol.HTTP, 80, 8080, null, false, null, null, 4, LoadBalancerDistribution.FIVE_TUPLE, AT),
                            new InputEndpoint("Auto", Protocol.TCP, 9000, InputEndpoint.AUTO_PORT, null, false, null, null, 4, LoadBalancerDistribution.FIVE_TUPLE, AT)),
                    List.of(new InternalEndpoint("Gossip", Protocol.TCP, 7000, List.of(), AT)),
                    List.of(new InstanceInputEndpoint("Rdp", Protocol.TCP, 3389, new PortRange(10000, 10010), 4, AT))),
            List.of(new SettingDeclaration("Greeting", AT), new SettingDeclaration("Tricky", AT)),
            List.of(new LocalStorage("ruby", 100, false, AT), new LocalStorage("cache", 2048, true, AT)),
            List.of(), List.of(),
            List.of(new StartupTask("install.sh", ExecutionContext.ELEVATED, TaskType.SIMPLE, List.of(
                    new EnvironmentVariable("RUBY_PATH", null, "/RoleEnvironment/CurrentInstance/LocalResources/LocalResource[@name='ruby']/@path", AT)), AT)),
            Optional.of(new RoleRuntime(ExecutionContext.LIMITED, WEB_RUNTIME_ENV, Optional.empty())),
            List.of(), List.of(), AT);

    static final RoleDefinition WORKER = new RoleDefinition("Worker", RoleKind.WORKER_ROLE, "Small", true,
            new Endpoints(List.of(),
                    List.of(new InternalEndpoint("Internal", Protocol.TCP, InputEndpoint.AUTO_PORT, List.of(), AT),
                            new InternalEndpoint("Ranged", Protocol.ANY, InputEndpoint.AUTO_PORT, List.of(new PortRange(5000, 5010)), AT)),
                    List.of()),
            List.of(), List.of(), List.of(), List.of(), List.of(), Optional.empty(), List.of(), List.of(), AT);

    static final ServiceDefinition DEFINITION = new ServiceDefinition("svc", 2, "unspecified", TopologyChangeDiscovery.UPGRADE_DOMAIN_WALK,
            List.of(), List.of(WEB, WORKER), List.of(), AT);

    static final ServiceConfiguration CONFIGURATION = new ServiceConfiguration("svc", null, null, "unspecified", List.of(
            new RoleConfiguration("Web", null, 3, List.of(new SettingValue("Greeting", "hello", AT), new SettingValue("Tricky", TRICKY, AT)),
                    List.of(), null, AT, AT),
            new RoleConfiguration("Worker", null, 2, List.of(), List.of(), null, AT, AT)), Optional.empty(), Optional.empty(), AT);

    static final ServiceTopology TOPOLOGY = new TopologyPlanner().plan(DEFINITION, CONFIGURATION);

    /** Auto ports 9100 + index; peer ports 40000 + a per (instance, endpoint) number; only internal endpoints reachable. */
    static final EndpointPorts PORTS = new EndpointPorts() {
        private final Map<String, Integer> peer = Map.of(
                "Web_IN_0/Gossip", 40000, "Web_IN_2/Gossip", 40002,
                "Worker_IN_0/Internal", 41000, "Worker_IN_1/Internal", 41001, "Worker_IN_0/Ranged", 42000);

        @Override
        public OptionalInt assignedLocalPort(String instanceId, String endpointName) {
            if (endpointName.equals("Auto") || endpointName.equals("Internal")) {
                return OptionalInt.of(9100 + Integer.parseInt(instanceId.substring(instanceId.lastIndexOf('_') + 1)));
            }
            return OptionalInt.empty();
        }

        @Override
        public OptionalInt peerPort(String instanceId, String endpointName) {
            Integer p = peer.get(instanceId + "/" + endpointName);
            return p == null ? OptionalInt.empty() : OptionalInt.of(p);
        }
    };

    static RoleEnvironmentDocument document(String instanceId) {
        return RoleEnvironmentDocument.generate(RoleEnvironmentFactory.forInstance("dep-42", DEFINITION, CONFIGURATION, TOPOLOGY, instanceId, PORTS));
    }

    private RoleEnvironmentFixture() {
    }
}
