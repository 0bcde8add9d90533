package org.csemu.fabric.api.wiring;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.api.AddCertificateRequest;
import org.csemu.fabric.api.CertificateView;
import org.csemu.fabric.api.ErrorKind;
import org.csemu.fabric.api.FabricException;
import org.csemu.fabric.certificates.CertificateMaterial;
import org.csemu.fabric.certificates.CertificateFiles;
import org.csemu.fabric.certificates.CertificateRejectedException;
import org.csemu.fabric.certificates.CertificateStore;
import org.csemu.fabric.certificates.SelfSignedCertificates;
import org.csemu.fabric.certificates.StoredCertificate;
import org.csemu.fabric.certificates.Thumbprint;

/**
 * The certificate calls of the API on the fabric's {@link CertificateStore}: a file read and checked (or a
 * self-signed certificate made), stored, listed with the deployments using each, removed unless in use; every
 * refusal mapped to a {@link FabricException} with a stable code.
 */
public final class CertificateCalls {
    private static final long MAX_FILE_BYTES = 1L << 20;

    /** Which deployments of a service name a thumbprint in their configuration. */
    public interface Users {
        List<String> of(String service, Thumbprint thumbprint);
    }

    private final CertificateStore store;
    private final SelfSignedCertificates selfSigned;
    private final Users users;

    CertificateCalls(Fabric fabric) {
        this(fabric.certificates(), new SelfSignedCertificates(fabric.config().dataDir().resolve("tmp")),
                fabric::deploymentsUsingCertificate);
    }

    /** On a store of its own (the API's tests and fakes use a real store without a fabric). */
    public CertificateCalls(CertificateStore store, SelfSignedCertificates selfSigned, Users users) {
        this.store = store;
        this.selfSigned = selfSigned;
        this.users = users;
    }

    public List<CertificateView> list(String service) {
        try {
            List<CertificateView> out = new ArrayList<>();
            for (StoredCertificate c : store(service).list(service)) {
                out.add(view(c));
            }
            return out;
        } catch (IOException e) {
            throw new FabricException(ErrorKind.INTERNAL, "InternalError", "cannot list the certificates of service '"
                    + service + "': " + e.getMessage(), List.of(), e);
        }
    }

    public CertificateView add(AddCertificateRequest request) {
        CertificateStore store = store(request.service());
        try {
            CertificateMaterial material = request.selfSigned() != null ? selfSigned.create(request.selfSigned())
                    : CertificateFiles.read(request.source(), content(request), request.password());
            return view(store.add(request.service(), material));
        } catch (CertificateRejectedException e) {
            throw new FabricException(ErrorKind.VALIDATION_FAILED, "CertificateRejected", e.getMessage(), List.of(), e);
        } catch (IOException e) {
            throw new FabricException(ErrorKind.INTERNAL, "InternalError", "cannot store the certificate: "
                    + e.getMessage(), List.of(), e);
        }
    }

    public void delete(String service, String thumbprintText) {
        CertificateStore store = store(service);
        Thumbprint thumbprint = thumbprint(thumbprintText);
        if (!store.contains(service, thumbprint)) {
            throw new FabricException(ErrorKind.NOT_FOUND, "CertificateNotFound", "service '" + service
                    + "' has no certificate " + thumbprint + " (csemu certificates list " + service + ")");
        }
        List<String> using = users.of(service, thumbprint);
        if (!using.isEmpty()) {
            throw FabricException.conflict("CertificateInUse", "certificate " + thumbprint + " of service '" + service
                    + "' is named by the configuration of deployment(s) " + using
                    + "; update their configuration (csemu update) or remove them first");
        }
        try {
            store.remove(service, thumbprint);
        } catch (IOException e) {
            throw new FabricException(ErrorKind.INTERNAL, "InternalError", "cannot remove the certificate: "
                    + e.getMessage(), List.of(), e);
        }
    }

    private CertificateView view(StoredCertificate c) {
        return new CertificateView(c.service(), c.thumbprint().hex(), "sha1", c.subject(), c.issuer(), c.notBefore(),
                c.notAfter(), c.hasPrivateKey(), c.addedAt(),
                users.of(c.service(), c.thumbprint()));
    }

    private CertificateStore store(String service) {
        try {
            store.directory(service);
        } catch (IllegalArgumentException e) {
            throw new FabricException(ErrorKind.BAD_REQUEST, "BadRequest", e.getMessage(), List.of(), e);
        }
        return store;
    }

    private static Thumbprint thumbprint(String text) {
        try {
            return Thumbprint.parse(text);
        } catch (IllegalArgumentException e) {
            throw new FabricException(ErrorKind.BAD_REQUEST, "BadRequest", e.getMessage(), List.of(), e);
        }
    }

    private static byte[] content(AddCertificateRequest request) throws CertificateRejectedException {
        if (request.content() != null) {
            return request.content();
        }
        try {
            if (Files.size(request.file().path()) > MAX_FILE_BYTES) {
                throw new CertificateRejectedException(request.file().path() + " is over 1 MiB: not a certificate");
            }
            return Files.readAllBytes(request.file().path());
        } catch (IOException e) {
            throw new CertificateRejectedException("cannot read " + request.file().path() + ": " + e.getMessage(), e);
        }
    }
}
