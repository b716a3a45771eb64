package org.mlops4j.benchmarks.compiled;

import org.mlops4j.core.internal.tribuo.TribuoFits;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelFlavors;
import org.mlops4j.core.model.spi.ModelFlavor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writing and reading the house-price forest's payload: the compiled flavor ({@code model.compiled.bin})
 * against the tribuo flavor (Tribuo's protobuf, gzip at the fastest level: {@code model.tribuo.gz}) and
 * against Tribuo's bare protobuf ({@code serialize().toByteArray()}, no gzip). Sizes are printed at setup.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar Payload}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class PayloadBenchmark {
    private Model compiled;
    private Model tribuo;
    private ModelFlavor compiledFlavor;
    private ModelFlavor tribuoFlavor;
    private Map<String, byte[]> compiledFiles;
    private Map<String, byte[]> tribuoFiles;

    @Setup(Level.Trial)
    public void setUp() {
        HouseForest h = new HouseForest();
        compiled = h.forest;
        tribuo = TribuoFits.tribuoSource(h.forest);
        compiledFlavor = ModelFlavors.find("compiled");
        tribuoFlavor = ModelFlavors.find("tribuo");
        compiledFiles = compiledFlavor.write(compiled);
        tribuoFiles = tribuoFlavor.write(tribuo);
        int proto = h.tribuo.serialize().toByteArray().length;
        System.out.printf("%nPAYLOAD compiled model.compiled.bin %d bytes; tribuo model.tribuo.gz %d bytes; bare protobuf %d bytes; "
                        + "%d trees, %d nodes, depth %d%n", compiledFiles.values().iterator().next().length,
                tribuoFiles.values().iterator().next().length, proto, h.forest.treeCount(), h.forest.nodeCount(), h.forest.maxDepth());
    }

    @Benchmark
    public Map<String, byte[]> writeCompiled() {
        return compiledFlavor.write(compiled);
    }

    @Benchmark
    public Map<String, byte[]> writeTribuoGzip() {
        return tribuoFlavor.write(tribuo);
    }

    @Benchmark
    public byte[] writeTribuoProtobuf() {
        return ((org.mlops4j.core.internal.tribuo.TribuoModel) tribuo).tribuoModel().serialize().toByteArray();
    }

    @Benchmark
    public Model readCompiled() {
        return compiledFlavor.read(compiledFiles, compiled.signature(), "bench");
    }

    @Benchmark
    public Model readTribuoGzip() {
        return tribuoFlavor.read(tribuoFiles, tribuo.signature(), "bench");
    }
}
