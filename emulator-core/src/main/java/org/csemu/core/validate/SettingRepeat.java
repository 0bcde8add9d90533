package org.csemu.core.validate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.csemu.core.model.RoleConfiguration;

/**
 * A setting a role gives again after its first occurrence. {@link ConflictingSettingValuesRule} and
 * {@link RepeatedSettingRule} split the same repeats by {@link #sameValue()}, so each repeat is reported by exactly one.
 */
record SettingRepeat(RoleConfiguration.SettingValue first, RoleConfiguration.SettingValue again) {

    /** Each repeat in the role, in document order, paired with the setting's first occurrence. */
    static List<SettingRepeat> in(RoleConfiguration role) {
        Map<String, RoleConfiguration.SettingValue> seen = new HashMap<>();
        List<SettingRepeat> repeats = new ArrayList<>();
        for (RoleConfiguration.SettingValue s : role.settings()) {
            RoleConfiguration.SettingValue first = seen.putIfAbsent(s.name(), s);
            if (first != null) {
                repeats.add(new SettingRepeat(first, s));
            }
        }
        return repeats;
    }

    boolean sameValue() {
        return Objects.equals(first.value(), again.value());
    }
}
