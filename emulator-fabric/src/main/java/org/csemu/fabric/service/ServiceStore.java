package org.csemu.fabric.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.parse.ServiceModelParser;
import org.csemu.core.pkg.PackageException;
import org.csemu.core.pkg.PackageLimits;
import org.csemu.core.pkg.PackageReader;
import org.csemu.core.validate.LoadResult;
import org.csemu.core.validate.ServiceModelLoader;
import org.csemu.core.validate.ServiceModelValidator;
import org.csemu.core.validate.ValidationLimits;
import org.csemu.core.util.FileTrees;

/**
 * Keeps each deployment's validated service under {@code <data>/deployments/<id>/service/} (revision 0) and
 * {@code service-<n>/} (revision n: each configuration change and package upgrade makes one, so the instances a
 * rollout has not reached yet keep booting from the old one, and a rollback has it to return to). A new service is
 * first staged (package verified, definition and configuration validated together, roles extracted) in
 * {@code <data>/staging/}, under a key (the deployment's name at create); revision 0 is bound to the deployment id
 * the controller chose the first time anything asks for that id, a later revision when the rollout starts, each by
 * one atomic rename. After a restart each revision is parsed back from disk.
 */
public final class ServiceStore {
    public static final String DEFINITION = "ServiceDefinition.csdef";
    public static final String CONFIGURATION = "ServiceConfiguration.cscfg";

    private final Path dataDir;
    private final ServiceModelLoader loader;
    /** Bound services by {@code <deployment id>@<revision>}. */
    private final Map<String, LoadedService> byId = new ConcurrentHashMap<>();
    private final Map<String, LoadedService> stagedByName = new ConcurrentHashMap<>();

    public ServiceStore(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.loader = new ServiceModelLoader(new ServiceModelParser(), new ServiceModelValidator(ValidationLimits.defaults()));
    }

    /** Verify and validate a package + configuration; keep it staged under the deployment name. */
    public LoadedService stage(String deploymentName, ServiceSource source) throws DeploymentRejectedException {
        Path dir = dataDir.resolve("staging").resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectories(dir);
            byte[] cscfg = Files.readAllBytes(source.configuration());
            // a CSPack package is laid out and packed again: in the data directory, not the shared /tmp
            try (PackageReader reader = PackageReader.open(source.packageFile(), PackageLimits.DEFAULTS,
                    dataDir.resolve("staging"))) {
                byte[] csdef = reader.definitionBytes();
                LoadResult result = loader.load(source.packageFile() + "!" + DEFINITION, csdef,
                        source.configuration().toString(), cscfg);
                if (!result.ok()) {
                    List<Diagnostic> errors = result.diagnostics().stream().filter(Diagnostic::isError).toList();
                    throw new DeploymentRejectedException("the service has " + result.errorCount() + " error(s):\n"
                            + String.join("\n", errors.stream().map(Diagnostic::format).toList()),
                            result.diagnostics(), null);
                }
                Files.write(dir.resolve(DEFINITION), csdef);
                Files.write(dir.resolve(CONFIGURATION), cscfg);
                Files.createDirectories(dir.resolve("roles"));
                for (String role : reader.roleNames()) {
                    reader.extractRole(role, dir.resolve("roles").resolve(role));
                }
                LoadedService service = new LoadedService(dir, result.definition().orElseThrow(),
                        result.configuration().orElseThrow(),
                        result.diagnostics().stream().filter(d -> !d.isError()).toList());
                stagedByName.put(deploymentName, service);
                return service;
            }
        } catch (PackageException e) {
            deleteQuietly(dir);
            throw new DeploymentRejectedException("package refused: " + e.getMessage(), e.diagnostics(), e);
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new DeploymentRejectedException("cannot read the service: " + e.getMessage(), e);
        } catch (DeploymentRejectedException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /** Forget a staged service that was never bound (the controller refused the deployment). */
    public void discardStaged(String deploymentName) {
        LoadedService s = stagedByName.remove(deploymentName);
        if (s != null) {
            deleteQuietly(s.directory());
        }
    }

    /**
     * The service of a deployment: bound already, on disk from an earlier run, or staged under the deployment's name
     * (resolved through {@code nameOf}) and bound now.
     */
    public synchronized LoadedService require(String deploymentId, Function<String, Optional<String>> nameOf) {
        LoadedService known = byId.get(key(deploymentId, 0));
        if (known != null) {
            return known;
        }
        Path target = serviceDir(deploymentId);
        if (Files.isRegularFile(target.resolve(DEFINITION))) {
            LoadedService loaded = loadFrom(target);
            byId.put(key(deploymentId, 0), loaded);
            return loaded;
        }
        String name = nameOf.apply(deploymentId).orElseThrow(() -> new IllegalStateException(
                "deployment " + deploymentId + " is unknown"));
        LoadedService staged = stagedByName.remove(name);
        if (staged == null) {
            throw new IllegalStateException("deployment " + deploymentId + " ('" + name + "') has no service on disk at "
                    + target + "; delete the deployment and create it again");
        }
        try {
            Files.createDirectories(target.getParent());
            Files.move(staged.directory(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the service of deployment " + deploymentId + ": " + e.getMessage(), e);
        }
        LoadedService bound = new LoadedService(target, staged.definition(), staged.configuration(), staged.warnings());
        byId.put(key(deploymentId, 0), bound);
        return bound;
    }

    /**
     * The service of one revision of a deployment (revision 0 must have been bound already).
     *
     * @throws IllegalStateException the revision is not on disk
     */
    public synchronized LoadedService require(String deploymentId, int revision) {
        LoadedService known = byId.get(key(deploymentId, revision));
        if (known != null) {
            return known;
        }
        Path dir = serviceDir(deploymentId, revision);
        if (!Files.isRegularFile(dir.resolve(DEFINITION))) {
            throw new IllegalStateException("deployment " + deploymentId + " has no service revision " + revision
                    + " on disk at " + dir);
        }
        LoadedService loaded = loadFrom(dir);
        byId.put(key(deploymentId, revision), loaded);
        return loaded;
    }

    /**
     * Bind a staged service (a new package: {@link #stage} under {@code stagingKey}) as a revision of a deployment,
     * replacing a leftover of that revision a crash left.
     */
    public synchronized LoadedService bindRevision(String deploymentId, int revision, String stagingKey) {
        LoadedService staged = stagedByName.remove(stagingKey);
        if (staged == null) {
            throw new IllegalStateException("nothing staged under '" + stagingKey + "'");
        }
        Path target = serviceDir(deploymentId, revision);
        try {
            deleteQuietly(target);
            Files.createDirectories(target.getParent());
            Files.move(staged.directory(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(staged.directory());
            throw new IllegalStateException("cannot keep revision " + revision + " of deployment " + deploymentId
                    + ": " + e.getMessage(), e);
        }
        LoadedService bound = new LoadedService(target, staged.definition(), staged.configuration(), staged.warnings());
        byId.put(key(deploymentId, revision), bound);
        return bound;
    }

    /**
     * A new revision made of an existing one's definition and role files with a new configuration (validated by the
     * caller against that definition): written in staging, then renamed into place. The role files are hard links
     * where the file system allows it (they are never written after extraction), copies otherwise.
     */
    public synchronized LoadedService reconfigure(String deploymentId, int fromRevision, int toRevision, byte[] cscfg,
                                                  ServiceConfiguration configuration) throws IOException {
        LoadedService from = require(deploymentId, fromRevision);
        Path dir = dataDir.resolve("staging").resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectories(dir);
            Files.copy(from.directory().resolve(DEFINITION), dir.resolve(DEFINITION));
            Path file = dir.resolve(CONFIGURATION);
            Files.write(file, cscfg);
            try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(file,
                    java.nio.file.StandardOpenOption.WRITE)) {
                c.force(true);
            }
            Path roles = from.directory().resolve("roles");
            if (Files.isDirectory(roles)) {
                LinkedTree.copy(roles, dir.resolve("roles"));
            }
            Path target = serviceDir(deploymentId, toRevision);
            deleteQuietly(target);
            Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
            LoadedService next = new LoadedService(target, from.definition(), configuration, from.warnings());
            byId.put(key(deploymentId, toRevision), next);
            return next;
        } catch (IOException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /** Delete one revision's files (no instance boots from it any more, and no rollback can return to it). */
    public synchronized void removeRevision(String deploymentId, int revision) {
        byId.remove(key(deploymentId, revision));
        deleteQuietly(serviceDir(deploymentId, revision));
    }

    /** The revisions of a deployment on disk. */
    public List<Integer> revisions(String deploymentId) {
        Path dir = dataDir.resolve("deployments").resolve(deploymentId);
        List<Integer> out = new java.util.ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).forEach(n -> {
                if (n.equals("service")) {
                    out.add(0);
                } else if (n.matches("service-[0-9]{1,9}")) {
                    out.add(Integer.parseInt(n.substring("service-".length())));
                }
            });
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    /** Validate a new configuration against the definition of a revision of a deployment (nothing is changed). */
    public LoadResult validateConfiguration(String deploymentId, int revision, Path cscfg) {
        return loader.load(require(deploymentId, revision).directory().resolve(DEFINITION), cscfg);
    }

    /** A bound revision, if it was loaded already. */
    public Optional<LoadedService> bound(String deploymentId, int revision) {
        return Optional.ofNullable(byId.get(key(deploymentId, revision)));
    }

    /** Delete a deployment's service files, every revision (after its instances are gone). */
    public synchronized void remove(String deploymentId) {
        for (int revision : revisions(deploymentId)) {
            byId.remove(key(deploymentId, revision));
            deleteQuietly(serviceDir(deploymentId, revision));
        }
        byId.keySet().removeIf(k -> k.startsWith(deploymentId + "@"));
    }

    /** Remove leftovers of stagings a crash interrupted. */
    public void cleanStaging() {
        deleteQuietly(dataDir.resolve("staging"));
    }

    public Path serviceDir(String deploymentId) {
        return serviceDir(deploymentId, 0);
    }

    public Path serviceDir(String deploymentId, int revision) {
        return dataDir.resolve("deployments").resolve(deploymentId)
                .resolve(revision == 0 ? "service" : "service-" + revision);
    }

    private static String key(String deploymentId, int revision) {
        return deploymentId + "@" + revision;
    }

    private LoadedService loadFrom(Path dir) {
        LoadResult result = loader.load(dir.resolve(DEFINITION), dir.resolve(CONFIGURATION));
        if (!result.ok()) {
            throw new IllegalStateException("the stored service in " + dir + " no longer validates: "
                    + result.diagnostics().stream().map(Diagnostic::format).toList());
        }
        return new LoadedService(dir, result.definition().orElseThrow(), result.configuration().orElseThrow(),
                result.diagnostics().stream().filter(d -> !d.isError()).toList());
    }

    static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            FileTrees.delete(dir);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
