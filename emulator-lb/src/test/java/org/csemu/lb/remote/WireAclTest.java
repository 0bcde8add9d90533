package org.csemu.lb.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.csemu.lb.AccessControlList;
import org.csemu.lb.AclRule;
import org.csemu.lb.ListenerSpec;
import org.junit.jupiter.api.Test;

/** A listener's ACL crosses the control channel to the LB process intact (and a missing one stays missing). */
class WireAclTest {

    @Test
    void aListenerSpecWithAnAclRoundTrips() {
        ListenerSpec spec = ListenerSpec.tcp("d/Web/Http").port(8080).accessControl(new AccessControlList("office",
                List.of(AclRule.permit(100, "127.0.0.2/32"), new AclRule(200, AclRule.Action.DENY,
                        org.csemu.lb.Subnet.parse("127.0.0.0/8"), "the rest\tof loopback")))).build();
        assertThat(Wire.read(Wire.tokens(Wire.line(spec)), ListenerSpec.class)).isEqualTo(spec);
        ListenerSpec none = ListenerSpec.tcp("d/Web/Http").port(8080).build();
        assertThat(Wire.read(Wire.tokens(Wire.line(none)), ListenerSpec.class)).isEqualTo(none);
    }
}
