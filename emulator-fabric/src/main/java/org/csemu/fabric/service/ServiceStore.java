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
 * Keeps each deployment's validated service under {@code <data>/deployments/<id>/service/}. A new service is first
 * staged (package verified, definition and configuration validated together, roles extracted) in
 * {@code <data>/staging/}, under the deployment's name; it is bound to the deployment id the controller chose the
 * first time anything asks for that id, by one atomic rename. After a restart the service is parsed back from disk.
 */
public final class ServiceStore {
    public static final String DEFINITION = "ServiceDefinition.csdef";
    public static final String CONFIGURATION = "ServiceConfiguration.cscfg";

    private final Path dataDir;
    private final ServiceModelLoader loader;
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
        LoadedService known = byId.get(deploymentId);
        if (known != null) {
            return known;
        }
        Path target = serviceDir(deploymentId);
        if (Files.isRegularFile(target.resolve(DEFINITION))) {
            LoadedService loaded = loadFrom(target);
            byId.put(deploymentId, loaded);
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
        byId.put(deploymentId, bound);
        return bound;
    }

    /** Validate a new configuration against a bound deployment's stored definition (nothing is changed). */
    public LoadResult validateConfiguration(String deploymentId, Path cscfg) {
        LoadedService current = byId.get(deploymentId);
        if (current == null) {
            throw new IllegalStateException("deployment " + deploymentId + " has no bound service");
        }
        return loader.load(current.directory().resolve(DEFINITION), cscfg);
    }

    /**
     * Replace a bound deployment's configuration (validated by the caller against its definition): the file first,
     * atomically, then the model every later boot writes its config drive from.
     */
    public synchronized LoadedService replaceConfiguration(String deploymentId, byte[] cscfg,
                                                           ServiceConfiguration configuration) throws IOException {
        LoadedService current = byId.get(deploymentId);
        if (current == null) {
            throw new IllegalStateException("deployment " + deploymentId + " has no bound service");
        }
        Path file = current.directory().resolve(CONFIGURATION);
        Path temp = file.resolveSibling("." + CONFIGURATION + ".new");
        Files.write(temp, cscfg);
        try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(temp,
                java.nio.file.StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LoadedService next = new LoadedService(current.directory(), current.definition(), configuration,
                current.warnings());
        byId.put(deploymentId, next);
        return next;
    }

    public Optional<LoadedService> bound(String deploymentId) {
        return Optional.ofNullable(byId.get(deploymentId));
    }

    /** Delete a deployment's service files (after its instances are gone). */
    public synchronized void remove(String deploymentId) {
        byId.remove(deploymentId);
        deleteQuietly(serviceDir(deploymentId));
    }

    /** Remove leftovers of stagings a crash interrupted. */
    public void cleanStaging() {
        deleteQuietly(dataDir.resolve("staging"));
    }

    public Path serviceDir(String deploymentId) {
        return dataDir.resolve("deployments").resolve(deploymentId).resolve("service");
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
