package org.csemu.fabric.disk;

import java.util.List;
import java.util.Map;

/**
 * The contents of the config drive's small files (docs/guest-agent.md): shell assignments the agent sources, one
 * per line and quoted by {@link ShellQuote}, and the {@code users} file; a value the guest could misread (a name
 * that is not a path segment or a shell variable, a {@code ..} segment, a {@code :} in a users field) is refused.
 */
final class DriveFiles {

    private DriveFiles() {
    }

    /** A store location or name becomes a directory in the guest: one safe path segment. */
    static String storeSegment(String value, String what, ConfigDriveInput.Certificate c) {
        if (!value.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("certificate '" + c.name() + "': " + what + " '" + value + "' cannot be"
                    + " a directory in the guest; use letters, digits, '_', '-', '.' (e.g. My, Root, CA)");
        }
        return value;
    }

    /**
     * {@code csemu/gates.env}: {@code ROLE_SECRET}, {@code GATES} ({@code <port>:<target>:<secret>,<secret>...}
     * each) and {@code PROXIES} ({@code <port>/tcp} or {@code <port>/udp} each), for the agent's traffic gates and
     * proxies (docs/guest-agent.md).
     */
    static String gatesEnv(ConfigDriveInput.Gates gates) {
        StringBuilder g = new StringBuilder();
        for (ConfigDriveInput.Gates.Gate gate : gates.gates()) {
            g.append(g.isEmpty() ? "" : " ").append(gate.port()).append(':').append(gate.target()).append(':')
                    .append(String.join(",", gate.secrets()));
        }
        StringBuilder p = new StringBuilder();
        for (ConfigDriveInput.Gates.Proxy proxy : gates.proxies()) {
            p.append(p.isEmpty() ? "" : " ").append(proxy.port()).append(proxy.udp() ? "/udp" : "/tcp");
        }
        return ShellQuote.assignment("ROLE_SECRET", gates.roleSecret()) + ShellQuote.assignment("GATES", g.toString())
                + ShellQuote.assignment("PROXIES", p.toString());
    }

    static String instanceEnv(ConfigDriveInput.Identity id) {
        return ShellQuote.assignment("CSEMU_DEPLOYMENT_ID", id.deploymentId())
                + ShellQuote.assignment("CSEMU_INSTANCE_ID", id.instanceId())
                + ShellQuote.assignment("CSEMU_ROLE_NAME", id.roleName())
                + ShellQuote.assignment("CSEMU_UPDATE_DOMAIN", Integer.toString(id.updateDomain()))
                + ShellQuote.assignment("CSEMU_FAULT_DOMAIN", Integer.toString(id.faultDomain()))
                + ShellQuote.assignment("CSEMU_RECYCLE_ID", id.recycleId())
                + ShellQuote.assignment("CSEMU_HEARTBEAT_SECONDS", Integer.toString(id.heartbeatSeconds()));
    }

    static String settingsEnv(List<ConfigDriveInput.Setting> settings) {
        StringBuilder out = new StringBuilder();
        out.append(ShellQuote.assignment("CSEMU_SETTING_COUNT", Integer.toString(settings.size())));
        for (int i = 0; i < settings.size(); i++) {
            out.append(ShellQuote.assignment("CSEMU_SETTING_" + i + "_NAME", settings.get(i).name()));
            out.append(ShellQuote.assignment("CSEMU_SETTING_" + i + "_VALUE", settings.get(i).value()));
        }
        return out.toString();
    }

    static String localStorageEnv(List<ConfigDriveInput.LocalResource> resources) {
        StringBuilder out = new StringBuilder();
        out.append(ShellQuote.assignment("CSEMU_LOCAL_COUNT", Integer.toString(resources.size())));
        for (int i = 0; i < resources.size(); i++) {
            ConfigDriveInput.LocalResource r = resources.get(i);
            safeRelative(r.name(), "local storage name");
            if (r.name().contains("/")) {
                throw new IllegalArgumentException("local storage name '" + r.name() + "' must not contain '/'");
            }
            out.append(ShellQuote.assignment("CSEMU_LOCAL_" + i + "_NAME", r.name()));
            out.append(ShellQuote.assignment("CSEMU_LOCAL_" + i + "_SIZE_MB", Integer.toString(r.sizeMiB())));
            out.append(ShellQuote.assignment("CSEMU_LOCAL_" + i + "_CLEAN", Boolean.toString(r.wipe())));
        }
        return out.toString();
    }

    static String users(List<ConfigDriveInput.GuestUser> users) {
        StringBuilder out = new StringBuilder();
        for (ConfigDriveInput.GuestUser user : users) {
            for (String field : List.of(user.name(), user.home(), user.shell())) {
                if (field.contains(":") || field.contains("\n")) {
                    throw new IllegalArgumentException("guest user field '" + field + "' must not contain ':' or a newline");
                }
            }
            out.append(user.name()).append(':').append(user.uid()).append(':').append(user.home()).append(':')
                    .append(user.shell()).append('\n');
        }
        return out.toString();
    }

    static String vars(Map<String, String> environment, String owner) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            if (!ShellQuote.isValidName(variable.getKey())) {
                throw new IllegalArgumentException("environment variable '" + variable.getKey() + "' of " + owner
                        + " is not a valid shell variable name: use letters, digits and '_', not starting with a digit");
            }
            out.append(ShellQuote.assignment(variable.getKey(), variable.getValue() == null ? "" : variable.getValue()));
        }
        return out.toString();
    }

    static String safeRelative(String path, String what) {
        String normalized = path.replace('\\', '/');
        while (normalized.startsWith("/")) {
            normalized = normalized.substring(1);
        }
        if (normalized.isEmpty()) {
            throw new IllegalArgumentException(what + " has an empty path");
        }
        for (String part : normalized.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException(what + " '" + path + "' must not contain '.' or '..' segments");
            }
        }
        return normalized;
    }}
