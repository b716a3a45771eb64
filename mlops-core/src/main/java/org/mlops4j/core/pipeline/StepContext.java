package org.mlops4j.core.pipeline;

import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.profile.DataProfile;
import org.mlops4j.core.evaluate.CrossValidation;
import org.mlops4j.core.evaluate.Evaluation;
import org.mlops4j.core.model.Model;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.train.FittedChain;

import java.util.Map;
import java.util.Optional;

/**
 * A {@link Step}'s typed view of the run so far, and the three ways it can act on it. What is not known yet
 * at the step's {@link Phase} is empty ({@link #fitted()} before {@code TRAINED}, {@link #holdout()} before
 * {@code EVALUATED}, {@link #bundle()} before {@code REGISTERING}, {@link #registered()} before
 * {@code REGISTERED}). Used by the runner's thread only; do not keep it after {@link Step#apply} returns.
 * {@snippet :
 * Step gate = Steps.at(Phase.EVALUATED, ctx -> {
 *     if (ctx.metrics().get("holdout_rmse") > 4.0) {
 *         ctx.veto("holdout RMSE " + ctx.metrics().get("holdout_rmse") + " is above 4.0");
 *     }
 * });
 * }
 */
public interface StepContext {

    /** @return the phase being run */
    Phase phase();

    /** @return the recipe being run (defaults resolved) */
    PipelineSpec spec();

    /** @return the loaded data set, label included */
    Dataset data();

    /** @return the loaded data set's profile */
    DataProfile profile();

    /** @return the fitted chain and model trained on the training rows, from {@link Phase#TRAINED} */
    Optional<FittedChain> fitted();

    /** @return the trained model, from {@link Phase#TRAINED} */
    default Optional<Model> model() {
        return fitted().map(FittedChain::model);
    }

    /** @return the holdout metrics, from {@link Phase#EVALUATED} */
    Optional<Evaluation> holdout();

    /** @return the cross-validation, from {@link Phase#EVALUATED} when one was configured */
    Optional<CrossValidation> crossValidation();

    /**
     * @return the metrics the run records ({@code holdout_rmse}, {@code cv_rmse}, {@code cv_rmse_std},
     *     {@code train_seconds}…), from {@link Phase#EVALUATED}; empty before
     */
    Map<String, Double> metrics();

    /** @return the tracked run, when the pipeline tracks */
    Optional<ActiveRun> run();

    /** @return the bundle about to be registered, from {@link Phase#REGISTERING} */
    Optional<ModelBundle> bundle();

    /** @return the registered version, at {@link Phase#REGISTERED} when one was registered */
    Optional<ModelVersion> registered();

    /** @return the holdout rows as loaded (label included), from {@link Phase#SPLIT} on */
    default Optional<Dataset> holdoutRows() {
        return Optional.empty();
    }

    /**
     * Stops registration: nothing is registered, the run records the reason (tag
     * {@code mlops.registration.vetoed}) and finishes normally.
     *
     * @param reason why, for the run record and the result
     * @throws IllegalStateException at {@link Phase#REGISTERED}, when it is too late
     */
    void veto(String reason);

    /**
     * Registers another model beside the trained one (an int8 twin, a compiled copy), bundled with the same
     * fitted chain and profile, under {@code name}, with the main version as its lineage parent; when the
     * pipeline does not register, the bundle is only kept in the result.
     *
     * @param name  the model name to register it under
     * @param model the derived model
     * @throws IllegalStateException before {@link Phase#TRAINED} or at {@link Phase#REGISTERED}
     */
    void derive(String name, Model model);

    /**
     * Like {@link #derive(String, Model)}, with the derived model's own metrics (a quantized twin scored on
     * the same holdout): its bundle records these instead of the main model's.
     *
     * @param name    the model name to register it under
     * @param model   the derived model
     * @param metrics the derived model's metrics ({@code holdout_accuracy}…)
     * @throws IllegalStateException before {@link Phase#TRAINED} or at {@link Phase#REGISTERED}
     */
    void derive(String name, Model model, Map<String, Double> metrics);

    /**
     * Attaches a file: a run artifact and, up to {@link Phase#REGISTERING}, a file of the bundle (at
     * {@link Phase#REGISTERED} the bundle is sealed, so the file goes to the run only).
     *
     * @param path    a plain file name ({@code card.md})
     * @param content its content
     */
    void attach(String path, byte[] content);
}
