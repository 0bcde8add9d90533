package org.csemu.bench.core;

import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.parse.ServiceModelParser;
import org.csemu.core.validate.LoadResult;
import org.csemu.core.validate.ServiceModelLoader;
import org.csemu.core.validate.ServiceModelValidator;
import org.csemu.core.validate.ValidationLimits;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.w3c.dom.Document;

/**
 * What {@code csemu validate} costs per service, beside what merely reading the same XML costs.
 *
 * <ul>
 *   <li>{@code parseAndValidate}: ServiceModelLoader on both files in memory (secure parse, XSD validation, mapping to
 *       the model, all semantic rules): the call the CLI and the fabric make.</li>
 *   <li>{@code validateOnly}: the semantic rules on already-parsed models.</li>
 *   <li>{@code referenceDomParse}: the reference, a bare JDK DOM parse of the same two byte arrays (namespace-aware,
 *       no schema, no model).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// long warm-up: on the shared, loaded 2-core machine the former 6 x 0.7 s left the figures unstable and several
// times too high (code not yet compiled); see docs/benchmarks/core.md
@Warmup(iterations = 10, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(1)
public class ParseValidateBenchmark {

    /** {@code corpus}: the largest pair of the shared corpus; {@code generated}: 25 roles x 25 endpoints. */
    @Param({"corpus", "generated"})
    public String input;

    private ServiceModelInputs.Pair pair;
    private ServiceModelLoader loader;
    private ServiceModelValidator validator;
    private ServiceDefinition definition;
    private ServiceConfiguration configuration;
    private DocumentBuilder dom;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        pair = "corpus".equals(input) ? ServiceModelInputs.largestCorpusPair() : ServiceModelInputs.generated();
        // the generated service has 625 input endpoints by design: raise that limit so the clean path is measured
        validator = new ServiceModelValidator(new ValidationLimits(25, 1000, 25, 50, false));
        loader = new ServiceModelLoader(new ServiceModelParser(), validator);
        LoadResult first = loader.load(pair.csdefName(), pair.csdef(), pair.cscfgName(), pair.cscfg());
        definition = first.definition().orElseThrow(() -> new IllegalStateException(pair.label() + " does not parse: "
                + first.diagnostics()));
        configuration = first.configuration().orElseThrow();
        System.out.printf("%n[%s] %s + %s, %d bytes, %d diagnostic(s)%n", pair.label(), pair.csdefName(), pair.cscfgName(),
                pair.bytes(), first.diagnostics().size());
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        dom = factory.newDocumentBuilder();
    }

    @Benchmark
    public LoadResult parseAndValidate() {
        return loader.load(pair.csdefName(), pair.csdef(), pair.cscfgName(), pair.cscfg());
    }

    @Benchmark
    public Object validateOnly() {
        return validator.validate(definition, configuration);
    }

    @Benchmark
    public void referenceDomParse(Blackhole bh) throws Exception {
        Document csdef = dom.parse(new ByteArrayInputStream(pair.csdef()));
        Document cscfg = dom.parse(new ByteArrayInputStream(pair.cscfg()));
        bh.consume(csdef);
        bh.consume(cscfg);
    }
}
