package org.csemu.fabric.disk;

import org.csemu.core.model.ExecutionContext;
import org.csemu.core.model.TaskType;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that goes onto one instance's config drive, already resolved by the fabric (RoleInstanceValue
 * variables evaluated, the role-environment document generated). Plain data so the writer has one job: lay it out
 * exactly as docs/guest-agent.md says.
 *
 * @param roleEnvironmentXml the role-environment document (written as {@code csemu/RoleEnvironment.xml})
 * @param appRoot            the role's content directory (copied to {@code approot/}); null for none
 * @param certificates       the certificates the role's configuration names, from its service's store
 */
public record ConfigDriveInput(
        Identity identity,
        String hostname,
        List<Setting> settings,
        List<GuestUser> users,
        Map<String, byte[]> answerFiles,
        List<LocalResource> localResources,
        List<Task> tasks,
        Entry entry,
        Map<String, String> runtimeEnvironment,
        List<SiteContent> sites,
        byte[] roleEnvironmentXml,
        Path appRoot,
        List<Certificate> certificates,
        Gates gates) {

    /** A drive without traffic gates (no internal endpoints, or a test that does not need them). */
    public ConfigDriveInput(Identity identity, String hostname, List<Setting> settings, List<GuestUser> users,
                            Map<String, byte[]> answerFiles, List<LocalResource> localResources, List<Task> tasks,
                            Entry entry, Map<String, String> runtimeEnvironment, List<SiteContent> sites,
                            byte[] roleEnvironmentXml, Path appRoot, List<Certificate> certificates) {
        this(identity, hostname, settings, users, answerFiles, localResources, tasks, entry, runtimeEnvironment, sites,
                roleEnvironmentXml, appRoot, certificates, Gates.NONE);
    }

    /** A drive without certificates. */
    public ConfigDriveInput(Identity identity, String hostname, List<Setting> settings, List<GuestUser> users,
                            Map<String, byte[]> answerFiles, List<LocalResource> localResources, List<Task> tasks,
                            Entry entry, Map<String, String> runtimeEnvironment, List<SiteContent> sites,
                            byte[] roleEnvironmentXml, Path appRoot) {
        this(identity, hostname, settings, users, answerFiles, localResources, tasks, entry, runtimeEnvironment, sites,
                roleEnvironmentXml, appRoot, List.of());
    }

    public ConfigDriveInput {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(hostname, "hostname");
        settings = List.copyOf(settings);
        users = List.copyOf(users);
        answerFiles = Map.copyOf(answerFiles);
        localResources = List.copyOf(localResources);
        tasks = List.copyOf(tasks);
        Objects.requireNonNull(entry, "entry");
        runtimeEnvironment = orderedCopy(runtimeEnvironment);
        sites = List.copyOf(sites);
        roleEnvironmentXml = roleEnvironmentXml == null ? new byte[0] : roleEnvironmentXml.clone();
        certificates = certificates == null ? List.of() : List.copyOf(certificates);
        gates = gates == null ? Gates.NONE : gates;
    }

    /**
     * The instance's side of internal-endpoint traffic (docs/fabric.md, network traffic rules): a gate per TCP port
     * of its own internal endpoints (the forwards lead there; a connection passes to {@code target} only after a
     * line {@code csemu-gate <secret>} with one of {@code secrets}, those of the roles allowed to connect), and a
     * proxy per port of its peers' internal endpoints, where its role code connects (the role environment lists
     * them): TCP ones send this role's secret first, UDP ones relay as they are.
     */
    public record Gates(String roleSecret, List<Gate> gates, List<Proxy> proxies) {
        public static final Gates NONE = new Gates("", List.of(), List.of());

        public Gates {
            Objects.requireNonNull(roleSecret, "roleSecret");
            gates = List.copyOf(gates);
            proxies = List.copyOf(proxies);
        }

        /** Listens on guest {@code port}; passes allowed connections to the role's {@code target} port. */
        public record Gate(int port, int target, List<String> secrets) {
            public Gate {
                secrets = List.copyOf(secrets);
            }
        }

        /** Listens on guest {@code port}, connects to the same port of the gateway (the peer's forward). */
        public record Proxy(int port, boolean udp) {
        }
    }

    /**
     * A certificate for the guest's store {@code storeLocation/storeName} (docs/guest-agent.md says where the agent
     * puts it).
     *
     * @param privateKeyPem the PKCS#8 key, or null when the store holds the certificate only
     */
    public record Certificate(String name, String thumbprint, String storeLocation, String storeName,
                              String permissionLevel, String certificatePem, String privateKeyPem) {
        public Certificate {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(thumbprint, "thumbprint");
            Objects.requireNonNull(storeLocation, "storeLocation");
            Objects.requireNonNull(storeName, "storeName");
            Objects.requireNonNull(permissionLevel, "permissionLevel");
            Objects.requireNonNull(certificatePem, "certificatePem");
        }

        @Override
        public String toString() { // never the key
            return "Certificate[" + name + " " + thumbprint + " " + storeLocation + "/" + storeName + " "
                    + permissionLevel + (privateKeyPem == null ? "" : " with key") + "]";
        }
    }

    /** The {@code instance.env} values. */
    public record Identity(String deploymentId, String instanceId, String roleName, int updateDomain,
                           int faultDomain, String recycleId, int heartbeatSeconds) {
        public Identity {
            Objects.requireNonNull(deploymentId, "deploymentId");
            Objects.requireNonNull(instanceId, "instanceId");
            Objects.requireNonNull(roleName, "roleName");
            Objects.requireNonNull(recycleId, "recycleId");
            if (heartbeatSeconds <= 0) {
                throw new IllegalArgumentException("heartbeatSeconds must be positive");
            }
        }

        /** The same identity with another recycle id (the fabric recycled the role). */
        public Identity withRecycleId(String newRecycleId) {
            return new Identity(deploymentId, instanceId, roleName, updateDomain, faultDomain, newRecycleId, heartbeatSeconds);
        }
    }

    /** A configuration setting's resolved value. */
    public record Setting(String name, String value) {
    }

    /** An account created on first boot ({@code answer/users}). */
    public record GuestUser(String name, int uid, String home, String shell) {
    }

    /**
     * A LocalStorage resource.
     *
     * @param wipe the fabric's disk plan wipes this resource at this boot's recycle id ({@code DiskPlan
     *             .wipedResources}); the agent carries the decision out once per recycle id and never derives it
     *             from the declaration
     */
    public record LocalResource(String name, int sizeMiB, boolean wipe) {
    }

    /** A startup task with its environment resolved (name → value, document order kept). */
    public record Task(String commandLine, TaskType type, ExecutionContext context, Map<String, String> environment) {
        public Task {
            Objects.requireNonNull(commandLine, "commandLine");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(context, "context");
            environment = orderedCopy(environment);
        }
    }

    /**
     * The role entry point as the agent runs it.
     *
     * @param notRunnable why the role cannot run in this guest (the agent then runs nothing and reports it), or null
     */
    public record Entry(Kind kind, String command, boolean readyOnStart, String notRunnable) {
        public Entry(Kind kind, String command, boolean readyOnStart) {
            this(kind, command, readyOnStart, null);
        }

        public Entry withNotRunnable(String reason) {
            return new Entry(kind, command, readyOnStart, reason);
        }

        public enum Kind {
            PROGRAM("program"), NETFX("netfx"), NONE("none");

            private final String value;

            Kind(String value) {
                this.value = value;
            }

            public String value() {
                return value;
            }
        }

        public static Entry none() {
            return new Entry(Kind.NONE, "", true);
        }
    }

    /**
     * A web role site: its name, the local ports of its endpoints, its content directory (may be null), and for each
     * port of an https endpoint the thumbprint of the certificate it serves (one of this drive's certificates).
     */
    public record SiteContent(String name, List<Integer> ports, Path contentDir, Map<Integer, String> httpsCertificates) {
        public SiteContent {
            ports = List.copyOf(ports);
            httpsCertificates = Map.copyOf(httpsCertificates);
        }

        /** A site with plain http bindings only. */
        public SiteContent(String name, List<Integer> ports, Path contentDir) {
            this(name, ports, contentDir, Map.of());
        }
    }

    /** Same drive with another identity (used by recycle operations that need a new recycle id). */
    public ConfigDriveInput withIdentity(Identity newIdentity) {
        return new ConfigDriveInput(newIdentity, hostname, settings, users, answerFiles, localResources, tasks, entry,
                runtimeEnvironment, sites, roleEnvironmentXml, appRoot, certificates, gates);
    }

    /** Same drive whose local resources are wiped exactly when {@code wiped} names them (the boot's disk plan). */
    public ConfigDriveInput withWiped(java.util.Collection<String> wiped) {
        List<LocalResource> planned = localResources.stream()
                .map(r -> new LocalResource(r.name(), r.sizeMiB(), wiped.contains(r.name()))).toList();
        return new ConfigDriveInput(identity, hostname, settings, users, answerFiles, planned, tasks, entry,
                runtimeEnvironment, sites, roleEnvironmentXml, appRoot, certificates, gates);
    }

    @Override
    public byte[] roleEnvironmentXml() {
        return roleEnvironmentXml.clone();
    }

    private static Map<String, String> orderedCopy(Map<String, String> map) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map == null ? Map.of() : map));
    }
}
