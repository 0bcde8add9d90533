import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.csemu.cli.CsemuCommand;
import org.csemu.cli.StatusCommand;
import org.csemu.cli.ValidateCommand;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonLocator;
import org.csemu.core.parse.ServiceModelParser;
import org.csemu.core.validate.ServiceModelLoader;
import org.csemu.core.validate.ServiceModelValidator;
import org.csemu.core.validate.ValidationLimits;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.EventView;
import org.csemu.fabric.daemon.DaemonInfo;
import org.csemu.fabric.daemon.DaemonInfoFile;
import org.csemu.fabric.daemon.DataDirectory;
import picocli.CommandLine;

/**
 * A phase timer for bench/cli/phases.sh: runs, in one fresh JVM, the steps a short command takes, in the order it
 * takes them, through the same public classes, and prints the wall time of each. Every step is the first of its
 * kind in the process, so each figure is that step's one-time (cold) cost, which is what a short command pays.
 * Times are kept in an array and printed at the end: formatting a number is itself a first-time cost (the locale
 * data), which would otherwise land in the next phase.
 *
 * <p>{@code status DATA_DIR}: picocli, daemon.json, the HTTP request, the answer's records. {@code validate CSDEF
 * CSCFG}: picocli, then the bundled XSDs compiled and the JAXB contexts created (as the parser's registry does),
 * then a parse and validation of the pair (which builds the parser's own registry: the XML part again, to show
 * what it costs within the real call).
 */
public final class Phases {

    private static final String[] NAMES = new String[32];
    private static final long[] AT = new long[32];
    private static int count;

    private static void mark(String name) {
        NAMES[count] = name;
        AT[count++] = System.nanoTime();
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        if (args[0].equals("status")) {
            status(Path.of(args[1]));
        } else {
            validate(Path.of(args[1]), Path.of(args[2]));
        }
        long previous = start;
        for (int i = 0; i < count; i++) {
            System.out.println(NAMES[i] + "\t" + (AT[i] - previous) / 1000);
            previous = AT[i];
        }
    }

    private static void status(Path dataDir) throws Exception {
        CommandLine cl = new CommandLine(new CsemuCommand());
        mark("picocli: the top command's model");
        cl.addSubcommand(StatusCommand.class);
        mark("picocli: the status command's model");
        cl.parseArgs("status", "--data-dir", dataDir.toString());
        mark("picocli: parse");
        DataDirectory dir = DataDirectory.resolve(dataDir);
        DaemonInfo info = DaemonInfoFile.read(dir.infoFile()).orElseThrow();
        mark("Jackson: ObjectMapper, JavaTimeModule, daemon.json as DaemonInfo");
        DaemonClient client = DaemonLocator.connect(dir);
        mark("daemon.json again, /proc check, token");
        var tree = client.get("/api/v1/deployments");
        mark("HTTP: GET /deployments (socket, answer, JSON tree)");
        DaemonClient.convert(tree, DeploymentView[].class);
        mark("Jackson: the answer as DeploymentView[] (record introspection)");
        var events = client.get("/api/v1/events?since=0&limit=1000");
        mark("HTTP: GET /events (second request)");
        DaemonClient.convert(events, EventView[].class);
        mark("Jackson: the answer as EventView[]");
        if (info.pid() <= 0) {
            throw new IllegalStateException("no pid in daemon.json");
        }
    }

    private static void validate(Path csdef, Path cscfg) throws Exception {
        CommandLine cl = new CommandLine(new CsemuCommand());
        mark("picocli: the top command's model");
        cl.addSubcommand(ValidateCommand.class);
        mark("picocli: the validate command's model");
        cl.parseArgs("validate", csdef.toString(), cscfg.toString());
        mark("picocli: parse");
        for (String xsd : Arrays.asList("ServiceDefinitionSchema.xsd", "ServiceConfigurationSchema.xsd")) {
            var url = ServiceModelParser.class.getResource("/org/csemu/schemas/" + xsd);
            var factory = javax.xml.validation.SchemaFactory.newDefaultInstance();
            factory.setFeature(javax.xml.XMLConstants.FEATURE_SECURE_PROCESSING, true);
            try (var in = url.openStream()) {
                factory.newSchema(new javax.xml.transform.stream.StreamSource(in, url.toExternalForm()));
            }
            mark("XSD: compile " + xsd);
        }
        jakarta.xml.bind.JAXBContext.newInstance(org.csemu.schemas.csdef.ObjectFactory.class);
        mark("JAXB: context for the definition");
        jakarta.xml.bind.JAXBContext.newInstance(org.csemu.schemas.cscfg.ObjectFactory.class);
        mark("JAXB: context for the configuration");
        ServiceModelLoader loader = new ServiceModelLoader(new ServiceModelParser(),
                new ServiceModelValidator(ValidationLimits.defaults()));
        var result = loader.load(csdef, cscfg);
        mark("validate: parse + cross-check (its own XSDs and contexts: the XML part a 2nd time)");
        loader.load(csdef, cscfg);
        mark("validate: the same again, warm (the work proper)");
        if (result.diagnostics().isEmpty() && !Files.exists(csdef)) {
            throw new IllegalStateException("unreachable");
        }
    }
}
