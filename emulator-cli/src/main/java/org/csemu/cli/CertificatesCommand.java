package org.csemu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.cli.support.Views;
import org.csemu.fabric.api.CertificateView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code csemu certificates add|list|rm}: a hosted service's certificate store, as the cloud's service certificates.
 * The service is the definition's {@code ServiceDefinition@name}. The client reads the file and sends its content,
 * so the daemon needs no access to the caller's files.
 */
@Command(name = "certificates", aliases = "certs", mixinStandardHelpOptions = true,
        description = "Manage a hosted service's certificates (the .cscfg names them by thumbprint; a deployment"
                + " naming one the store lacks is refused).",
        subcommands = {CertificatesCommand.Add.class, CertificatesCommand.ListCertificates.class,
            CertificatesCommand.Remove.class})
public final class CertificatesCommand implements Runnable {
    private static final long MAX_FILE_BYTES = 1L << 20;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String path(String service) {
        return "/api/v1/services/" + DeploymentSelector.encode(service) + "/certificates";
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a certificate to a service's store: a .pfx (PKCS#12, with --password) or a .pem"
                    + " (the certificate, optionally its unencrypted PKCS#8 private key); or make a self-signed one"
                    + " with --self-signed NAME. Prints the thumbprint to put in the .cscfg.",
            footerHeading = "%nExamples:%n",
            footer = {"  csemu certificates add HelloWeb site.pfx --password",
                "  csemu certificates add HelloWeb site.pem",
                "  csemu certificates add --self-signed www.hello.local HelloWeb"})
    static final class Add extends ClientCommand {
        @Parameters(index = "0", paramLabel = "<service>", description = "The service (ServiceDefinition@name).")
        String service;

        @Parameters(index = "1", arity = "0..1", paramLabel = "<file.pfx|file.pem>",
                description = "The certificate file (omit with --self-signed).")
        Path file;

        @Option(names = "--password", arity = "0..1", interactive = true, paramLabel = "PASSWORD",
                description = "The PFX password; without a value it is asked for (not echoed).")
        char[] password;

        @Option(names = "--self-signed", paramLabel = "NAME",
                description = "Make a self-signed certificate (RSA 2048, one year, CN=NAME, NAME as DNS name) with its key.")
        String selfSigned;

        @Override
        protected int execute(DaemonClient client) throws DaemonClientException {
            if ((file == null) == (selfSigned == null)) {
                err().println("csemu: give either a certificate file or --self-signed NAME");
                spec.commandLine().usage(err());
                return ExitCodes.USAGE;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            if (selfSigned != null) {
                body.put("selfSigned", selfSigned);
            } else {
                try {
                    if (Files.size(file) > MAX_FILE_BYTES) {
                        err().println("csemu: " + file + " is over 1 MiB: not a certificate file");
                        return ExitCodes.INVALID;
                    }
                    body.put("data", Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
                } catch (IOException e) {
                    err().println("csemu: cannot read " + file + ": " + e.getMessage());
                    return ExitCodes.INVALID;
                }
                body.put("fileName", file.getFileName().toString());
                if (password != null) {
                    body.put("password", new String(password));
                }
            }
            CertificateView c = DaemonClient.convert(client.withTimeout(java.time.Duration.ofMinutes(2))
                    .post(path(service), body), CertificateView.class);
            out().println(c.thumbprint());
            err().println("certificate " + c.subject() + " added to service " + c.service()
                    + (c.hasPrivateKey() ? " with its private key" : " (no private key)") + ", valid until "
                    + c.notAfter() + "; name it in the .cscfg: <Certificate name=\"...\" thumbprint=\""
                    + c.thumbprint() + "\" thumbprintAlgorithm=\"sha1\" />");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
            description = "List a service's certificates: thumbprint, subject, expiry, private key, deployments using it.",
            footerHeading = "%nExample:%n", footer = "  csemu certificates list HelloWeb --json")
    static final class ListCertificates extends ClientCommand {
        @Parameters(index = "0", paramLabel = "<service>", description = "The service (ServiceDefinition@name).")
        String service;

        @Option(names = "--json", description = "A JSON array of certificates.")
        boolean json;

        @Override
        protected int execute(DaemonClient client) throws DaemonClientException {
            List<CertificateView> certificates = Arrays.asList(DaemonClient.convert(client.get(path(service)),
                    CertificateView[].class));
            if (json) {
                try {
                    out().println(DaemonClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(certificates));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                return ExitCodes.OK;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"THUMBPRINT", "SUBJECT", "NOT AFTER", "KEY", "USED BY"});
            for (CertificateView c : certificates) {
                rows.add(new String[] {c.thumbprint(), c.subject(), c.notAfter().toString(),
                    c.hasPrivateKey() ? "yes" : "no", String.join(",", c.usedBy())});
            }
            Views.table(rows).forEach(out()::println);
            return ExitCodes.OK;
        }
    }

    @Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
            description = "Remove a certificate from a service's store (refused while a deployment's configuration names it).",
            footerHeading = "%nExample:%n", footer = "  csemu certificates rm HelloWeb 3F2A9C0E5B7D41A6C8E0F2A4B6C8D0E2F4A6B8C0")
    static final class Remove extends ClientCommand {
        @Parameters(index = "0", paramLabel = "<service>", description = "The service (ServiceDefinition@name).")
        String service;

        @Parameters(index = "1", paramLabel = "<thumbprint>", description = "The SHA-1 thumbprint (any case).")
        String thumbprint;

        @Override
        protected int execute(DaemonClient client) throws DaemonClientException {
            client.delete(path(service) + "/" + DeploymentSelector.encode(thumbprint.strip()));
            out().println("certificate " + thumbprint + " removed from service " + service);
            return ExitCodes.OK;
        }
    }
}
