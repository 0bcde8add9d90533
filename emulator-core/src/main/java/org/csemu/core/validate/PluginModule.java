package org.csemu.core.validate;

import java.util.List;
import org.csemu.core.model.Protocol;

/**
 * What an {@code Imports/Import@moduleName} brings into a role implicitly, as the SDK's plugin definitions declare it.
 * Names are given in full ({@code Microsoft.WindowsAzure.Plugins.<Module>.<Name>}).
 *
 * @param requiredSettings settings every SDK version of the module declares: the configuration must give them
 * @param optionalSettings settings only some SDK versions declare: accepted when configured, not required
 * @param certificates     certificates the module declares: the configuration must give their thumbprints
 * @param localStorage     local resources the module declares (a RoleInstanceValue may refer to them)
 * @param endpoints        endpoints the module adds to the role (RemoteForwarder's RDP port on the VIP)
 */
record PluginModule(String name, List<String> requiredSettings, List<String> optionalSettings, List<String> certificates,
        List<String> localStorage, List<Endpoint> endpoints) {

    /** An endpoint a module declares; {@code input} endpoints take a port on the VIP. */
    record Endpoint(String name, boolean input, Protocol protocol, int port) {
    }

    static final String PREFIX = "Microsoft.WindowsAzure.Plugins.";

    PluginModule {
        requiredSettings = List.copyOf(requiredSettings);
        optionalSettings = List.copyOf(optionalSettings);
        certificates = List.copyOf(certificates);
        localStorage = List.copyOf(localStorage);
        endpoints = List.copyOf(endpoints);
    }

    /** The prefix of every name this module declares: {@code Microsoft.WindowsAzure.Plugins.<Module>.}. */
    String namePrefix() {
        return prefixOf(name);
    }

    static String prefixOf(String moduleName) {
        return PREFIX + moduleName + ".";
    }

    boolean declaresSetting(String settingName) {
        return requiredSettings.contains(settingName) || optionalSettings.contains(settingName);
    }
}
