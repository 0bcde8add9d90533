package org.csemu.fabric.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.parse.ServiceModelParser;
import org.csemu.core.validate.LoadResult;
import org.csemu.core.validate.ServiceModelLoader;
import org.csemu.core.validate.ServiceModelValidator;
import org.csemu.core.validate.ValidationLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration naming a thumbprint its service's store lacks: one DEPLOY001 per certificate, with the fix. */
class CertificateRequirementsTest {
    @TempDir
    Path data;

    @Test
    void eachMissingCertificateIsOneErrorAtItsElementWithTheCommandThatAddsIt() throws Exception {
        CertificateStore store = new CertificateStore(data);
        CertificateRequirements requirements = new CertificateRequirements(store);
        // lower case in the configuration (CSCFG104 warns) still matches the store
        Path cscfg = TestCertificates.certProbeConfiguration(data.resolve("cfg"),
                TestCertificates.RSA_THUMBPRINT.toLowerCase(), TestCertificates.EC_THUMBPRINT);
        ServiceConfiguration configuration = load(cscfg);

        List<Diagnostic> missing = requirements.missing("CertProbe", configuration);
        assertThat(missing).hasSize(2);
        assertThat(missing.get(0).line()).isEqualTo(6); // the Site <Certificate> element
        assertThat(missing.get(0).format()).endsWith(": error DEPLOY001 role 'Worker': certificate"
                + " 'Site' with thumbprint " + TestCertificates.RSA_THUMBPRINT + " is not in the certificate store of"
                + " service 'CertProbe' (fix: add it: csemu certificates add CertProbe <file.pfx|file.pem>"
                + " [--password <password>] (csemu certificates list CertProbe shows what the store holds))");

        store.add("CertProbe", TestCertificates.read("rsa.pfx"));
        assertThat(requirements.missing("CertProbe", configuration)).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("'Signing'", TestCertificates.EC_THUMBPRINT));
        store.add("CertProbe", TestCertificates.read("ec-with-key.pem"));
        assertThat(requirements.missing("CertProbe", configuration)).isEmpty();
        assertThat(requirements.missing("AnotherService", configuration)).hasSize(2);
    }

    static ServiceConfiguration load(Path cscfg) throws Exception {
        LoadResult r = new ServiceModelLoader(new ServiceModelParser(), new ServiceModelValidator(ValidationLimits.defaults()))
                .load(TestCertificates.certProbe().resolve("ServiceDefinition.csdef"), cscfg);
        assertThat(r.ok()).as(r.diagnostics().toString()).isTrue();
        return r.configuration().orElseThrow();
    }
}
