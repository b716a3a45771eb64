package org.mlops4j.serving.drift;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Drift of a served version over one window: every input feature and the prediction.
 * {@snippet :
 * DriftReport r = monitor.current();
 * r.state();                        // the worst feature state
 * r.feature("LSTAT").map(FeatureDrift::state);
 * }
 *
 * @param model      model name
 * @param version    version
 * @param window     {@code current} (the window filling now) or {@code completed} (the last full window)
 * @param windowRows rows in the window
 * @param start      when the window started
 * @param end        when it ended (now, for the current window)
 * @param state      the worst state over features and prediction
 * @param features   one result per input feature, in the model's column order
 * @param prediction the prediction's drift (against the first window of predictions this version served)
 */
public record DriftReport(String model, int version, String window, long windowRows, Instant start, Instant end, DriftState state,
                          List<FeatureDrift> features, FeatureDrift prediction) {

    /** Copies. */
    public DriftReport {
        features = List.copyOf(features);
    }

    /**

     * @param name a feature

     * @return its result

     */
    public Optional<FeatureDrift> feature(String name) {
        return features.stream().filter(f -> f.feature().equals(name)).findFirst();
    }
}
