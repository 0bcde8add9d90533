package org.csemu.fabric.certificates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.csemu.fabric.util.AtomicFiles;

/**
 * The certificates of each hosted service (the cloud's service certificates), under
 * {@code <data>/certificates/<service>/<THUMBPRINT>.pem}: the certificate and, when it came with one, its private key
 * as PEM, in one file of mode 0600 in directories of mode 0700, written atomically. Keyed by the SHA-1 thumbprint a
 * configuration names. The files are read back through {@link CertificateFiles} on every use, so a file edited by
 * hand is checked again (and refused) rather than trusted.
 *
 * <p>A service is the definition's {@code ServiceDefinition@name}, which csemu uses as the hosted service (one
 * deployment of it per slot). Names that are not safe as a path segment are stored hex-encoded.
 */
public final class CertificateStore {
    private static final String SUFFIX = ".pem";

    private final Path root;

    public CertificateStore(Path dataDir) {
        this.root = dataDir.toAbsolutePath().normalize().resolve("certificates");
    }

    /** Adds (or replaces: the same thumbprint is the same certificate, now perhaps with its key) a certificate. */
    public synchronized StoredCertificate add(String service, CertificateMaterial material) throws IOException {
        Path dir = directory(service);
        createPrivateDirectory(root);
        createPrivateDirectory(dir);
        String pem = material.certificatePem() + material.privateKeyPem().orElse("");
        Path file = file(service, material.thumbprint());
        AtomicFiles.write(file, pem.getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
        return StoredCertificate.of(service, material, Files.getLastModifiedTime(file).toInstant());
    }

    /** The service's certificates, by thumbprint. */
    public synchronized List<StoredCertificate> list(String service) throws IOException {
        Path dir = directory(service);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("[0-9A-F]{40}\\.pem")).sorted().toList();
        }
        List<StoredCertificate> out = new ArrayList<>();
        for (Path f : files) {
            out.add(StoredCertificate.of(service, load(f), Files.getLastModifiedTime(f).toInstant()));
        }
        out.sort(Comparator.comparing(c -> c.thumbprint().hex()));
        return out;
    }

    /** The certificate (with its key, if stored) of that thumbprint, if the service's store holds it. */
    public synchronized Optional<CertificateMaterial> find(String service, Thumbprint thumbprint) throws IOException {
        Path f = file(service, thumbprint);
        return Files.isRegularFile(f) ? Optional.of(load(f)) : Optional.empty();
    }

    public synchronized boolean contains(String service, Thumbprint thumbprint) {
        return Files.isRegularFile(file(service, thumbprint));
    }

    /** Removes a certificate; false when the store did not hold it. */
    public synchronized boolean remove(String service, Thumbprint thumbprint) throws IOException {
        boolean removed = Files.deleteIfExists(file(service, thumbprint));
        if (removed) {
            AtomicFiles.fsyncDirectory(directory(service));
        }
        return removed;
    }

    /** The directory of a service's certificates. */
    public Path directory(String service) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("a service name is required (the definition's ServiceDefinition@name)");
        }
        boolean safe = service.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}") && !service.contains("..");
        return root.resolve(safe ? service
                : "~" + HexFormat.of().formatHex(service.getBytes(StandardCharsets.UTF_8)));
    }

    private Path file(String service, Thumbprint thumbprint) {
        return directory(service).resolve(thumbprint.hex() + SUFFIX);
    }

    private static CertificateMaterial load(Path file) throws IOException {
        try {
            return CertificateFiles.read(file.toString(), Files.readAllBytes(file), null);
        } catch (CertificateRejectedException e) {
            throw new IOException("the stored certificate " + file + " is damaged (" + e.getMessage()
                    + "); remove it (csemu certificates rm) and add it again", e);
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // created meanwhile by another process
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
