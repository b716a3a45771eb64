package org.mlops4j.core.tck;

/**
 * What {@link JavadocSnippets} compiles mlops-core's examples with: every API package imported, and the
 * free names the examples use ({@code tracker}, {@code registry}, {@code result}…). Modules built on
 * core add their own packages and names to these.
 * {@snippet :
 * JavadocSnippets.compileAll(Path.of("src/main/java"), CoreSnippets.PRELUDE + "protected Foo foo;\n", CoreSnippets.IMPORTS);
 * }
 */
public final class CoreSnippets {
    private CoreSnippets() {
    }

    /** Every API package, as a user imports them (samples/jshell/mlops.jsh lists the same). */
    public static final String IMPORTS = """
            import org.mlops4j.core.*;
            import org.mlops4j.core.data.*;
            import org.mlops4j.core.data.profile.*;
            import org.mlops4j.core.data.validate.*;
            import org.mlops4j.core.evaluate.*;
            import org.mlops4j.core.model.*;
            import org.mlops4j.core.model.compiled.*;
            import org.mlops4j.core.model.spi.*;
            import org.mlops4j.core.pipeline.*;
            import org.mlops4j.core.pipeline.spi.*;
            import org.mlops4j.core.registry.*;
            import org.mlops4j.core.registry.memory.*;
            import org.mlops4j.core.registry.spi.*;
            import org.mlops4j.core.report.*;
            import org.mlops4j.core.tracking.*;
            import org.mlops4j.core.tracking.memory.*;
            import org.mlops4j.core.tracking.spi.*;
            import org.mlops4j.core.train.*;
            import org.mlops4j.core.transform.*;
            import org.mlops4j.core.transform.spi.*;
            import org.mlops4j.core.tune.*;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.*;
            import java.time.*;
            import java.util.*;
            """;

    /** The names examples use without declaring them. */
    public static final String PRELUDE = """
            protected Tracker tracker;
            protected ModelRegistry registry;
            protected PipelineResult result;
            protected Pipeline pipeline;
            protected ModelBundle bundle;
            protected Dataset data;
            protected Dataset dataset;
            protected DataSource source;
            protected ActiveRun run;
            protected String runId;
            protected String firstRunId;
            protected String secondRunId;
            protected String experimentId;
            protected RunQuery query;
            protected RunBatch batch;
            protected byte[] bytes;
            protected TrainingSet trainingSet;
            protected Model model;
            protected Dataset features;
            protected Dataset readyFeatures;
            protected double[] readyRow;
            protected double[] readyRows;
            protected Dataset rawFeatures;
            protected Dataset trainFeatures;
            protected Dataset testFeatures;
            protected Dataset iris;
            protected List<Prediction> predictions;
            protected Target trainTarget;
            protected Target testTarget;
            protected List<FittedTransform> chain;
            protected Predictor predictor;
            protected TrackingStore store;
            protected String id;
            protected Experiment exp;
            protected Trainer trainer;
            protected TrainContext context;
            protected Space<RandomForest> space;
            protected Study<RandomForest> study;
            protected StudyResult studyResult;
            protected Dataset holdoutRows;
            protected ValidationReport report;
            protected Expectations expectations;
            protected void log(String metric, double value, long step) {
            }
            /** A transform an application defines. */
            protected record Clip(String column, double max) implements Transform {
                public Fitted fit(Dataset train) {
                    return new Fitted(column, max);
                }
                public record Fitted(String column, double max) implements FittedTransform {
                    public Dataset apply(Dataset d) {
                        return d;
                    }
                }
            }
            /** A trainer another module defines. */
            protected record MlpTrainer(int width) implements Trainer {
                public TrainerSpec spec() {
                    return new TrainerSpec("djl_mlp", Task.REGRESSION, Map.of("width", Integer.toString(width)));
                }
                public Model fit(TrainingSet train, TrainContext context) {
                    throw new UnsupportedOperationException();
                }
            }
            """;
}
