package org.csemu.fabric.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.csemu.core.model.NetworkConfiguration;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.SourceLocation;
import org.junit.jupiter.api.Test;

/**
 * An in-place update that changes an endpoint ACL is refused with the way out (the listeners take their ACL when the
 * deployment is created); the same ACLs written elsewhere in the file are no change.
 */
class ConfigurationDiffAclTest {

    private static final SourceLocation AT = SourceLocation.UNKNOWN;

    private static ServiceConfiguration withAcl(String subnet, int line) {
        SourceLocation at = new SourceLocation("ServiceConfiguration.cscfg", line, 1);
        var net = new NetworkConfiguration(List.of(), null, List.of(), List.of(),
                List.of(new NetworkConfiguration.AccessControl("office", List.of(
                        new NetworkConfiguration.AclRule(100, "permit", subnet, "", at)), at)),
                List.of(new NetworkConfiguration.EndpointAcl("Web", "Http", "office", at)), List.of(), at);
        return new ServiceConfiguration("S", null, null, "unspecified",
                List.of(new RoleConfiguration("Web", null, 1, List.of(), List.of(), null, AT, AT)),
                Optional.of(net), Optional.empty(), AT);
    }

    @Test
    void aChangedAclIsRefusedAndAMovedOneIsNoChange() {
        assertThat(ConfigurationDiff.between(withAcl("127.0.0.2/32", 5), withAcl("127.0.0.2/32", 9)).refusals())
                .isEmpty();
        assertThat(ConfigurationDiff.between(withAcl("127.0.0.2/32", 5), withAcl("127.0.0.3/32", 5)).refusals())
                .singleElement().asString().contains("endpoint ACLs").contains("when the deployment is created");
    }
}
