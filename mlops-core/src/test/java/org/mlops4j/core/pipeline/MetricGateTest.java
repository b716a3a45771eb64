package org.mlops4j.core.pipeline;

import org.junit.jupiter.api.Test;
import org.mlops4j.core.tck.StepCompatibilityKit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The built-in metric gate passes the step contract and refuses impossible bounds at once. */
class MetricGateTest extends StepCompatibilityKit {
    @Override
    protected Step step() {
        return Steps.atMost("holdout_rmse", 4.0);
    }

    @Test
    void impossibleBoundsAreRefusedWhenTheGateIsMade() {
        assertThatThrownBy(() -> new Steps.MetricGate("r2", 0.5, 0.9)).hasMessageContaining("atLeast 0.9 is above atMost 0.5");
        assertThatThrownBy(() -> new Steps.MetricGate("r2", null, null)).hasMessageContaining("needs a bound");
        assertThatThrownBy(() -> Steps.atMost(" ", 1)).hasMessageContaining("needs a metric name");
        assertThatThrownBy(() -> Steps.atLeast("r2", Double.NaN)).hasMessageContaining("finite");
    }
}
