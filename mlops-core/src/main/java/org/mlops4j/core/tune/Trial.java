package org.mlops4j.core.tune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One configuration a study tried: its number, the values of the parameters in use, its state, the
 * objective (or the last intermediate value, for a pruned trial), the intermediate values step by step
 * (the running cross-validated mean after each fold), and the error of a failed trial.
 * {@snippet :
 * Trial best = studyResult.best();
 * best.params();   // {trees=300, max_depth=12, ...}
 * best.value();    // 3.21
 * }
 *
 * @param number       1-based, unique within the study
 * @param params       parameter name to value, in the space's order
 * @param state        where the trial is
 * @param value        the objective (complete) or the last intermediate value (pruned), else null
 * @param intermediate intermediate values, step 1 first
 * @param error        what failed, for a failed trial, else null
 */
public record Trial(int number, Map<String, Object> params, TrialState state, Double value, List<Double> intermediate,
                    String error) {

    /** Copies. */
    public Trial {
        Objects.requireNonNull(state, "state");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        intermediate = List.copyOf(intermediate);
    }

    /** @return whether the trial ended with a value the samplers can learn from */
    public boolean hasValue() {
        return value != null && (state == TrialState.COMPLETE || state == TrialState.PRUNED);
    }
}
