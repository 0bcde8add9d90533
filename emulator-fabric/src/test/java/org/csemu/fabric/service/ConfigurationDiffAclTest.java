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
 * An in-place update may change an endpoint ACL (the VIP's listeners take it at once, no instance is touched); the
 * same ACLs written elsewhere in the file are no change.
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
    void aChangedAclIsAnInPlaceChangeOfNoInstanceAndAMovedOneIsNoChange() {
        ConfigurationDiff moved = ConfigurationDiff.between(withAcl("127.0.0.2/32", 5), withAcl("127.0.0.2/32", 9));
        assertThat(moved.endpointAclsChanged()).isFalse();
        assertThat(moved.refusals()).isEmpty();
        ConfigurationDiff changed = ConfigurationDiff.between(withAcl("127.0.0.2/32", 5), withAcl("127.0.0.3/32", 5));
        assertThat(changed.endpointAclsChanged()).isTrue();
        assertThat(changed.refusals()).isEmpty();
        assertThat(changed.deltas()).as("no instance is recycled or told").isEmpty();
    }
}
