package org.csemu.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.parse.ServiceModelParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cloud's NetworkTrafficRules semantics, per internal endpoint. */
class TrafficPolicyTest {
    private static final String NS = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition";

    @TempDir
    Path dir;

    private ServiceDefinition parse(String rules) throws Exception {
        Path csdef = Files.writeString(dir.resolve("ServiceDefinition.csdef"), """
                <?xml version="1.0" encoding="utf-8"?>
                <ServiceDefinition name="Tiers" xmlns="%s">
                  <WebRole name="Front">
                    <Endpoints>
                      <InputEndpoint name="Http" protocol="http" port="80"/>
                      <InternalEndpoint name="Gossip" protocol="tcp"/>
                    </Endpoints>
                  </WebRole>
                  <WorkerRole name="Back">
                    <Endpoints>
                      <InternalEndpoint name="Api" protocol="tcp"/>
                      <InternalEndpoint name="Admin" protocol="tcp"/>
                      <InternalEndpoint name="Open" protocol="tcp"/>
                    </Endpoints>
                  </WorkerRole>
                  <WorkerRole name="Batch">
                    <Endpoints>
                      <InternalEndpoint name="Jobs" protocol="tcp"/>
                    </Endpoints>
                  </WorkerRole>
                  %s
                </ServiceDefinition>
                """.formatted(NS, rules));
        return new ServiceModelParser().parseDefinition(csdef).model().orElseThrow();
    }

    @Test
    void withoutRulesEveryRoleOfTheServiceReachesEveryInternalEndpoint() throws Exception {
        TrafficPolicy p = TrafficPolicy.of(parse(""));
        assertThat(p.allows("Front", "Back", "Api")).isTrue();
        assertThat(p.allows("Back", "Back", "Api")).as("its own role too").isTrue();
        assertThat(p.allows("Batch", "Front", "Gossip")).isTrue();
        assertThat(p.allows("Elsewhere", "Back", "Api")).as("nothing outside the service").isFalse();
        assertThat(p.restricted("Back", "Api")).isFalse();
    }

    @Test
    void aNamedEndpointAcceptsTheUnionOfItsRulesFromRolesAndOnlyThem() throws Exception {
        TrafficPolicy p = TrafficPolicy.of(parse("""
                <NetworkTrafficRules>
                  <OnlyAllowTrafficTo>
                    <Destinations><RoleEndpoint roleName="Back" endpointName="Api"/></Destinations>
                    <WhenSource matches="AnyRule"><FromRole roleName="Front"/></WhenSource>
                  </OnlyAllowTrafficTo>
                  <OnlyAllowTrafficTo>
                    <Destinations>
                      <RoleEndpoint roleName="Back" endpointName="Api"/>
                      <RoleEndpoint roleName="Back" endpointName="Admin"/>
                    </Destinations>
                    <WhenSource matches="AnyRule"><FromRole roleName="Batch"/></WhenSource>
                  </OnlyAllowTrafficTo>
                  <OnlyAllowTrafficTo>
                    <Destinations><RoleEndpoint roleName="Batch" endpointName="Jobs"/></Destinations>
                    <AllowAllTraffic/>
                  </OnlyAllowTrafficTo>
                </NetworkTrafficRules>"""));
        assertThat(p.allowedSources("Back", "Api")).containsExactlyInAnyOrder("Front", "Batch");
        assertThat(p.allows("Back", "Back", "Api")).as("its own role is not listed: refused").isFalse();
        assertThat(p.allowedSources("Back", "Admin")).containsExactly("Batch");
        assertThat(p.allows("Front", "Back", "Admin")).isFalse();
        assertThat(p.allowedSources("Batch", "Jobs")).containsExactlyInAnyOrder("Front", "Back", "Batch");
        assertThat(p.allows("Front", "Back", "Open")).as("an endpoint no rule names stays open").isTrue();
        assertThat(p.restricted("Back", "Open")).isFalse();
        assertThat(TrafficPolicy.describe(parse(""))).containsOnlyKeys("Front/Gossip", "Back/Api", "Back/Admin",
                "Back/Open", "Batch/Jobs");
    }
}
