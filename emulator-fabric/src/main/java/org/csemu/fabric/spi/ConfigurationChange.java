package org.csemu.fabric.spi;

import java.util.Map;
import java.util.Objects;

/**
 * One entry of a {@code changing}/{@code changed} message: the classic RoleEnvironment change classes
 * ({@code RoleEnvironmentConfigurationSettingChange}, {@code RoleEnvironmentTopologyChange}), by kind and name.
 * Certificate changes never reach the guest this way: the cloud always takes the instance offline for them.
 */
public record ConfigurationChange(Kind kind, String name) {

    /** The change classes the guest agent protocol carries. */
    public enum Kind {
        SETTING("setting"), TOPOLOGY("topology");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public ConfigurationChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static ConfigurationChange setting(String name) {
        return new ConfigurationChange(Kind.SETTING, name);
    }

    /** As the agent protocol writes it: {@code {"kind": "setting", "name": "..."}}. */
    public Map<String, String> toWire() {
        return Map.of("kind", kind.wireName(), "name", name);
    }

    @Override
    public String toString() {
        return kind.wireName() + ":" + name;
    }
}
