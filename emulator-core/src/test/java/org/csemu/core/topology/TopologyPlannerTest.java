package org.csemu.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.csemu.core.model.Endpoints;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.RoleKind;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.model.SourceLocation;
import org.csemu.core.model.TopologyChangeDiscovery;
import org.junit.jupiter.api.Test;

class TopologyPlannerTest {

    static RoleDefinition role(String name) {
        return new RoleDefinition(name, RoleKind.WORKER_ROLE, "Small", true, Endpoints.NONE, List.of(), List.of(), List.of(),
                List.of(), List.of(), Optional.empty(), List.of(), List.of(), SourceLocation.UNKNOWN);
    }

    static ServiceDefinition definition(int uds, String... roles) {
        return new ServiceDefinition("svc", uds, "unspecified", TopologyChangeDiscovery.UPGRADE_DOMAIN_WALK, List.of(),
                java.util.Arrays.stream(roles).map(TopologyPlannerTest::role).toList(), List.of(), SourceLocation.UNKNOWN);
    }

    static ServiceConfiguration configuration(Object... nameCount) {
        List<RoleConfiguration> roles = new java.util.ArrayList<>();
        for (int i = 0; i < nameCount.length; i += 2) {
            roles.add(new RoleConfiguration((String) nameCount[i], null, (Integer) nameCount[i + 1], List.of(), List.of(), null,
                    SourceLocation.UNKNOWN, SourceLocation.UNKNOWN));
        }
        return new ServiceConfiguration("svc", null, null, "unspecified", roles, Optional.empty(), Optional.empty(), SourceLocation.UNKNOWN);
    }

    @Test
    void numbers_instances_from_zero_with_update_and_fault_domains() {
        ServiceTopology t = new TopologyPlanner().plan(definition(3, "Web", "Worker"), configuration("Web", 7, "Worker", 1));
        assertThat(t.role("Web").orElseThrow().instances()).extracting(InstancePlacement::id, InstancePlacement::updateDomain, InstancePlacement::faultDomain)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Web_IN_0", 0, 0),
                        org.assertj.core.groups.Tuple.tuple("Web_IN_1", 1, 1),
                        org.assertj.core.groups.Tuple.tuple("Web_IN_2", 2, 0),
                        org.assertj.core.groups.Tuple.tuple("Web_IN_3", 0, 1),
                        org.assertj.core.groups.Tuple.tuple("Web_IN_4", 1, 0),
                        org.assertj.core.groups.Tuple.tuple("Web_IN_5", 2, 1),
                        org.assertj.core.groups.Tuple.tuple("Web_IN_6", 0, 0));
        assertThat(t.role("Worker").orElseThrow().instances()).extracting(InstancePlacement::id).containsExactly("Worker_IN_0");
        assertThat(t.allInstances()).hasSize(8);
        assertThat(t.instance("Web_IN_5").orElseThrow().roleName()).isEqualTo("Web");
        assertThat(t.upgradeDomainCount()).isEqualTo(3);
        assertThat(t.faultDomainCount()).isEqualTo(2);
    }

    @Test
    void spreads_fourteen_instances_over_five_update_domains_like_the_cloud() {
        ServiceTopology t = new TopologyPlanner().plan(definition(5, "R"), configuration("R", 14));
        int[] perUd = new int[5];
        t.allInstances().forEach(i -> perUd[i.updateDomain()]++);
        assertThat(perUd).containsExactly(3, 3, 3, 3, 2);
    }

    @Test
    void the_fault_domain_count_is_a_parameter() {
        ServiceTopology t = new TopologyPlanner(3).plan(definition(5, "R"), configuration("R", 4));
        assertThat(t.allInstances()).extracting(InstancePlacement::faultDomain).containsExactly(0, 1, 2, 0);
        assertThatThrownBy(() -> new TopologyPlanner(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scaling_out_continues_the_numbering_and_never_reuses_an_id() {
        TopologyPlanner planner = new TopologyPlanner();
        ServiceTopology t = planner.plan(definition(5, "R"), configuration("R", 3));
        t = planner.removeInstances(t, "R", List.of("R_IN_1"));
        assertThat(t.role("R").orElseThrow().instances()).extracting(InstancePlacement::id).containsExactly("R_IN_0", "R_IN_2");
        t = planner.addInstances(t, "R", 2);
        assertThat(t.role("R").orElseThrow().instances()).extracting(InstancePlacement::id, InstancePlacement::updateDomain)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("R_IN_0", 0),
                        org.assertj.core.groups.Tuple.tuple("R_IN_2", 2),
                        org.assertj.core.groups.Tuple.tuple("R_IN_3", 3),
                        org.assertj.core.groups.Tuple.tuple("R_IN_4", 4));
        t = planner.scale(t, "R", 2);
        assertThat(t.role("R").orElseThrow().instances()).extracting(InstancePlacement::id).containsExactly("R_IN_0", "R_IN_2");
        t = planner.scale(t, "R", 3);
        assertThat(t.role("R").orElseThrow().instances()).extracting(InstancePlacement::id).containsExactly("R_IN_0", "R_IN_2", "R_IN_5");
    }

    @Test
    void refuses_what_validation_should_have_caught() {
        TopologyPlanner planner = new TopologyPlanner();
        assertThatThrownBy(() -> planner.plan(definition(5, "R", "S"), configuration("R", 1)))
                .hasMessageContaining("role 'S' has no <Role> in the configuration");
        ServiceTopology t = planner.plan(definition(5, "R"), configuration("R", 1));
        assertThatThrownBy(() -> planner.removeInstances(t, "R", List.of("R_IN_9"))).hasMessageContaining("no instance 'R_IN_9'");
        assertThatThrownBy(() -> planner.scale(t, "Nope", 1)).hasMessageContaining("has no role 'Nope'");
        assertThatThrownBy(() -> planner.scale(t, "R", -1)).hasMessageContaining("cannot be negative");
    }
}
