package org.csemu.core.pkg;

import java.util.List;
import java.util.Optional;
import org.csemu.core.model.ContentMapping;
import org.csemu.core.model.Endpoints;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.RoleKind;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.model.Site;
import org.csemu.core.model.SourceLocation;
import org.csemu.core.model.TopologyChangeDiscovery;
import org.csemu.core.model.VirtualPath;

/** Model records built directly, for tests that do not need the parser. */
final class TestModels {

    static final SourceLocation AT = new SourceLocation("ServiceDefinition.csdef", 3, 5);

    private TestModels() {
    }

    static RoleDefinition worker(String name, List<ContentMapping> contents) {
        return new RoleDefinition(name, RoleKind.WORKER_ROLE, "Small", true, Endpoints.NONE, List.of(), List.of(), List.of(),
                List.of(), List.of(), Optional.empty(), contents, List.of(), AT);
    }

    static RoleDefinition web(String name, List<Site> sites) {
        return new RoleDefinition(name, RoleKind.WEB_ROLE, "Small", true, Endpoints.NONE, List.of(), List.of(), List.of(),
                List.of(), List.of(), Optional.empty(), List.of(), sites, AT);
    }

    static Site site(String name, String physicalDirectory, VirtualPath... children) {
        return new Site(name, physicalDirectory, List.of(children), List.of(), AT);
    }

    static ServiceDefinition service(RoleDefinition... roles) {
        return new ServiceDefinition("svc", 5, "unspecified", TopologyChangeDiscovery.UPGRADE_DOMAIN_WALK, List.of(), List.of(roles),
                List.of(), AT);
    }
}
