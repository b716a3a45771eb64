package org.mlops4j.core;

import org.tribuo.Model;

import java.util.List;

/**
 * A fitted Tribuo model with what is needed to call it: the task and the feature names it was trained
 * on. Immutable; Tribuo models are thread-safe for prediction.
 */
record TrainedModel(Task task, Model<?> model, List<String> features, List<String> classes) {

    TrainedModel {
        features = List.copyOf(features);
        classes = List.copyOf(classes);
    }

    List<Prediction> predict(Dataset ready) {
        return TribuoBridge.predict(model, task, ready);
    }
}
