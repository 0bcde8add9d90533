package org.csemu.core.parse;

import java.util.ArrayList;
import java.util.List;

import org.csemu.core.model.Endpoints;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.InstanceInputEndpoint;
import org.csemu.core.model.InternalEndpoint;
import org.csemu.core.model.LoadBalancerDistribution;
import org.csemu.core.model.PortRange;
import org.csemu.core.model.Protocol;
import org.csemu.schemas.csdef.FixedPort;
import org.csemu.schemas.csdef.FixedPortRange;
import org.csemu.schemas.csdef.LegacyInputEndpoints;
import org.csemu.schemas.csdef.LegacyInternalEndpoint;

/** Endpoints (input, internal, instance input) including the legacy web-role forms, with their defaults. */
final class EndpointMapper {

    private final MappingContext context;

    EndpointMapper(MappingContext context) {
        this.context = context;
    }

    Endpoints map(org.csemu.schemas.csdef.Endpoints endpoints, LegacyInputEndpoints legacyInput, LegacyInternalEndpoint legacyInternal) {
        List<InputEndpoint> input = new ArrayList<>();
        List<InternalEndpoint> internal = new ArrayList<>();
        List<InstanceInputEndpoint> instanceInput = new ArrayList<>();
        if (endpoints != null) {
            // a repeating choice: the three kinds may be interleaved; each list keeps its own document order
            for (Object endpoint : endpoints.getInDocumentOrder()) {
                if (endpoint instanceof org.csemu.schemas.csdef.InputEndpoint e) {
                    input.add(input(e));
                } else if (endpoint instanceof org.csemu.schemas.csdef.InternalEndpoint e) {
                    internal.add(internal(e));
                } else if (endpoint instanceof org.csemu.schemas.csdef.InstanceInputEndpoint e) {
                    instanceInput.add(instanceInput(e));
                }
            }
        }
        if (legacyInput != null) {
            for (org.csemu.schemas.csdef.InputEndpoint e : legacyInput.getInputEndpoint()) {
                String protocol = e.getProtocol().value();
                if (!protocol.equals("http") && !protocol.equals("https")) {
                    context.error(SchemaRule.VALUE_NOT_ALLOWED, e, "InputEndpoint@protocol '" + protocol
                            + "' is not allowed in the legacy <InputEndpoints> of a web role: only http, https",
                            "use http or https, or declare the endpoint under <Endpoints>");
                }
                input.add(input(e));
            }
        }
        if (legacyInternal != null) {
            internal.add(new InternalEndpoint(legacyInternal.getName(), protocol(legacyInternal.getProtocol().value()),
                    port(legacyInternal.getPort()), List.of(), context.at(legacyInternal)));
        }
        if (input.isEmpty() && internal.isEmpty() && instanceInput.isEmpty()) {
            return Endpoints.NONE;
        }
        return new Endpoints(input, internal, instanceInput);
    }

    private InputEndpoint input(org.csemu.schemas.csdef.InputEndpoint e) {
        int localPort = e.getLocalPort() == null ? e.getPort() : port(e.getLocalPort());
        LoadBalancerDistribution distribution = e.getLoadBalancerDistribution() == null
                ? LoadBalancerDistribution.FIVE_TUPLE
                : distribution(e.getLoadBalancerDistribution().value());
        return new InputEndpoint(e.getName(), protocol(e.getProtocol().value()), e.getPort(), localPort, e.getCertificate(),
                Boolean.TRUE.equals(e.isIgnoreRoleInstanceStatus()), e.getLoadBalancerProbe(), e.getLoadBalancer(),
                e.getIdleTimeoutInMinutes() == null ? ServiceModelDefaults.IDLE_TIMEOUT_MINUTES : e.getIdleTimeoutInMinutes(),
                distribution, context.at(e));
    }

    private InternalEndpoint internal(org.csemu.schemas.csdef.InternalEndpoint e) {
        List<PortRange> fixed = new ArrayList<>();
        for (Object child : e.getFixedPortOrFixedPortRange()) {
            if (child instanceof FixedPort p) {
                fixed.add(PortRange.single(p.getPort()));
            } else if (child instanceof FixedPortRange r) {
                fixed.add(new PortRange(r.getMin(), r.getMax()));
            }
        }
        return new InternalEndpoint(e.getName(), protocol(e.getProtocol().value()), port(e.getPort()), fixed, context.at(e));
    }

    private InstanceInputEndpoint instanceInput(org.csemu.schemas.csdef.InstanceInputEndpoint e) {
        FixedPortRange range = e.getAllocatePublicPortFrom().getFixedPortRange();
        return new InstanceInputEndpoint(e.getName(), protocol(e.getProtocol().value()), e.getLocalPort(),
                new PortRange(range.getMin(), range.getMax()),
                e.getIdleTimeoutInMinutes() == null ? ServiceModelDefaults.IDLE_TIMEOUT_MINUTES : e.getIdleTimeoutInMinutes(),
                context.at(e));
    }

    /** A PortSpecifier: absent or {@code *} means "the fabric picks". The schema has checked the range. */
    static int port(String specifier) {
        if (specifier == null || specifier.trim().equals("*")) {
            return InputEndpoint.AUTO_PORT;
        }
        return Integer.parseInt(specifier.trim());
    }

    static Protocol protocol(String xmlValue) {
        for (Protocol p : Protocol.values()) {
            if (p.xmlValue().equals(xmlValue)) {
                return p;
            }
        }
        throw new IllegalArgumentException("protocol not in the model: " + xmlValue);
    }

    private static LoadBalancerDistribution distribution(String xmlValue) {
        for (LoadBalancerDistribution d : LoadBalancerDistribution.values()) {
            if (d.xmlValue().equals(xmlValue)) {
                return d;
            }
        }
        throw new IllegalArgumentException("distribution not in the model: " + xmlValue);
    }
}
