package org.csemu.core.validate;

import java.util.List;

/** The one list of rules, in the order their codes are documented (docs/diagnostics.md). */
final class ValidationRules {

    private ValidationRules() {
    }

    static List<ValidationRule> all(ValidationLimits limits) {
        return List.of(
                new InvalidNameRule(),
                new DuplicateRoleNameRule(),
                new NoRolesRule(),
                new RoleLimitRule(limits),
                new EndpointLimitRule(limits),
                new DuplicateEndpointNameRule(),
                new EndpointProtocolRule(),
                new VipPortConflictRule(),
                new HttpsCertificateRule(),
                new ProbeReferenceRule(),
                new BindingEndpointRule(),
                new TrafficRuleReferenceRule(),
                new ProbeSettingsRule(),
                new ProbeTimingRule(),
                new UpgradeDomainCountRule(),
                new IdleTimeoutRule(),
                new DuplicateLocalStorageRule(),
                new EnvironmentVariableValueRule(),
                new RoleInstanceValueXPathRule(),
                new ProgramEntryPointRule(),
                new LinuxGuestRule(),
                new DuplicateSettingDeclarationRule(),
                new SettingShadowsModuleRule(),
                new DuplicateCertificateDeclarationRule(),
                new UnknownModuleRule(),
                new DuplicateImportRule(),
                new RemoteForwarderSingleRoleRule(),

                new InstanceCountRule(),
                new InstanceLimitRule(limits),
                new ThumbprintFormatRule(),
                new ThumbprintStyleRule(),
                new VmNameRule(),
                new DuplicateRoleConfigurationRule(),
                new ConflictingSettingValuesRule(),
                new RepeatedSettingRule(),
                new DuplicateCertificateReferenceRule(),
                new AccessControlRuleFormatRule(),

                new ServiceNameRule(),
                new RoleNotConfiguredRule(),
                new UnknownRoleRule(),
                new SettingNotConfiguredRule(),
                new SettingNotDeclaredRule(),
                new CertificateNotConfiguredRule(),
                new CertificateNotDeclaredRule(),
                new SchemaVersionRule(),
                new InstanceInputRangeRule(),
                new OsImageRequiredRule(),
                new OsImageIgnoredRule(),
                new NetworkReferenceRule());
    }
}
