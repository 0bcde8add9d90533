package org.csemu.core.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.schemas.cscfg.Role;

/** The JAXB service configuration to the immutable {@link ServiceConfiguration}. */
final class ConfigurationMapper {

    private final MappingContext context;

    ConfigurationMapper(MappingContext context) {
        this.context = context;
    }

    ServiceConfiguration map(org.csemu.schemas.cscfg.ServiceConfiguration xml) {
        NetworkConfigurationMapper network = new NetworkConfigurationMapper(context,
                new SchemaGeneration(context, xml.getSchemaVersion(), "ServiceConfiguration"));
        List<RoleConfiguration> roles = new ArrayList<>();
        for (Role role : xml.getRole()) {
            roles.add(role(role));
        }
        Optional<ServiceConfiguration.GuestAgentSettings> guestAgent = Optional.ofNullable(xml.getGuestAgentSettings())
                .map(g -> new ServiceConfiguration.GuestAgentSettings(g.isCleanupFirewallOnRoleRestart(), g.isAllowRoleProcessLocalDumps()));
        String schemaVersion = xml.getSchemaVersion() == null || xml.getSchemaVersion().isBlank()
                ? ServiceModelDefaults.SCHEMA_VERSION : xml.getSchemaVersion().trim();
        return new ServiceConfiguration(xml.getServiceName(), xml.getOsFamily(), xml.getOsVersion(), schemaVersion, roles,
                Optional.ofNullable(xml.getNetworkConfiguration()).map(network::map), guestAgent, context.at(xml));
    }

    private RoleConfiguration role(Role role) {
        List<RoleConfiguration.SettingValue> settings = role.getConfigurationSettings() == null ? List.of()
                : role.getConfigurationSettings().getSetting().stream()
                        .map(s -> new RoleConfiguration.SettingValue(s.getName(), s.getValue(), context.at(s))).toList();
        List<RoleConfiguration.CertificateReference> certificates = role.getCertificates() == null ? List.of()
                : role.getCertificates().getCertificate().stream()
                        .map(c -> new RoleConfiguration.CertificateReference(c.getName(), c.getThumbprint(),
                                c.getThumbprintAlgorithm().value(), context.at(c))).toList();
        String osImage = role.getOsImage() == null ? null : role.getOsImage().getHref();
        return new RoleConfiguration(role.getName(), role.getVmName(), role.getInstances().getCount(), settings, certificates,
                osImage, context.at(role), context.at(role.getInstances()));
    }
}
