package org.csemu.core.model;

import java.util.List;
import java.util.Optional;

/**
 * The configuration of one role.
 *
 * @param vmName            optional computer-name prefix (at most 10 characters), or null
 * @param instanceCount     Instances@count
 * @param instancesLocation where Instances@count was written, for limit and count diagnostics
 * @param osImageHref       OsImage@href, or null; required for a VirtualMachineRole
 */
public record RoleConfiguration(
        String name,
        String vmName,
        int instanceCount,
        List<SettingValue> settings,
        List<CertificateReference> certificates,
        String osImageHref,
        SourceLocation location,
        SourceLocation instancesLocation) {

    public RoleConfiguration {
        settings = List.copyOf(settings);
        certificates = List.copyOf(certificates);
    }

    public Optional<String> setting(String settingName) {
        return settings.stream().filter(s -> s.name().equals(settingName)).map(SettingValue::value).findFirst();
    }

    /** ConfigurationSettings/Setting. */
    public record SettingValue(String name, String value, SourceLocation location) {
    }

    /** Certificates/Certificate: the thumbprint of a certificate the definition declares. */
    public record CertificateReference(String name, String thumbprint, String thumbprintAlgorithm, SourceLocation location) {
    }
}
