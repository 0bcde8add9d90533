package org.csemu.core.parse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.csemu.core.corpus.CorpusFiles;

/** Where the tests find the in-project corpus and their own resources. */
final class TestFiles {

    static final String CSDEF_NS = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition";
    static final String CSCFG_NS = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration";

    private TestFiles() {
    }

    static Path corpus() {
        return CorpusFiles.root();
    }

    static Path corpusFile(String relative) {
        return corpus().resolve(relative);
    }

    static List<Path> corpusModelFiles() {
        return CorpusFiles.modelFiles();
    }

    static Path resource(String name) {
        try {
            return Path.of(TestFiles.class.getResource("/parse/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("missing test resource parse/" + name, e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A minimal valid definition with {@code roleBody} inside one WorkerRole named Worker. */
    static String worker(String roleBody) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                + "<ServiceDefinition name=\"Svc\" xmlns=\"" + CSDEF_NS + "\">\n"
                + "  <WorkerRole name=\"Worker\">\n"
                + roleBody
                + "  </WorkerRole>\n"
                + "</ServiceDefinition>\n";
    }

    /** A minimal valid configuration with {@code roleBody} inside one Role named Worker. */
    static String configuration(String roleBody) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                + "<ServiceConfiguration serviceName=\"Svc\" xmlns=\"" + CSCFG_NS + "\">\n"
                + "  <Role name=\"Worker\">\n"
                + roleBody
                + "  </Role>\n"
                + "</ServiceConfiguration>\n";
    }
}
