package org.mlops4j.core.tck;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.pipeline.Step;
import org.mlops4j.core.train.DecisionTree;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every recordable {@link Step} passes: it names its phase, it checks a recipe without
 * throwing, and it is written to {@code pipeline.json} under its type name and read back equal. A step's
 * test is a short subclass giving an instance.
 * {@snippet :
 * class MetricGateTest extends StepCompatibilityKit {
 *     protected Step step() { return Steps.atMost("holdout_rmse", 4.0); }
 * }
 * }
 */
public abstract class StepCompatibilityKit {

    /** @return the step under test, of a recorded type */
    protected abstract Step step();

    private PipelineSpec spec() {
        return PipelineSpec.builder(Csv.file("prices.csv")).label("y").trainer(DecisionTree.regression()).addStep(step()).build();
    }

    @Test
    void theStepNamesItsPhaseAndChecksARecipeWithoutThrowing() {
        assertThat(step().phase()).isNotNull();
        assertThat(step().check(spec())).isNotNull();
    }

    @Test
    void theStepIsRecordedByTypeNameAndReadBackEqual() {
        PipelineSpec spec = spec();
        byte[] json = spec.toJson();

        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("\"unrecorded\"");
        assertThat(PipelineSpec.read(json).steps()).containsExactly(step());
    }
}
