package org.mlops4j.core.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.mlops4j.core.data.validate.Expectations;
import org.mlops4j.core.data.validate.ValidationReport;
import java.util.function.Consumer;

/**
 * Ready-made {@link Step}s: a step from a lambda, and quality gates that veto registration of a model whose
 * metric misses a bound.
 * {@snippet :
 * pipeline.then(Steps.atMost("holdout_rmse", 4.0))         // recorded in pipeline.json
 *         .then(Steps.atLeast("cv_r2", 0.8))
 *         .then(Steps.at(Phase.REGISTERED, ctx -> System.out.println(ctx.registered())));
 * }
 */
public final class Steps {
    private Steps() {
    }

    /**
     * @param phase  when to run
     * @param action what to do (not recordable in {@code pipeline.json})
     * @return the step
     */
    public static Step at(Phase phase, Consumer<StepContext> action) {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(action, "action");
        return new Step() {
            @Override
            public Phase phase() {
                return phase;
            }

            @Override
            public void apply(StepContext context) {
                action.accept(context);
            }

            @Override
            public String toString() {
                return "step at " + phase.name().toLowerCase(Locale.ROOT);
            }
        };
    }

    /**
     * @param metric a metric the run records ({@code holdout_rmse}, {@code cv_rmse})
     * @param bound  the largest acceptable value
     * @return a gate at {@link Phase#EVALUATED} that vetoes registration above the bound
     */
    public static MetricGate atMost(String metric, double bound) {
        return new MetricGate(metric, bound, null);
    }

    /**
     * @param metric a metric the run records ({@code holdout_r2}, {@code holdout_accuracy})
     * @param bound  the smallest acceptable value
     * @return a gate at {@link Phase#EVALUATED} that vetoes registration below the bound
     */
    public static MetricGate atLeast(String metric, double bound) {
        return new MetricGate(metric, null, bound);
    }

    /**
     * Vetoes registration unless a recorded metric lies within bounds; a metric the run does not record is a
     * veto too, naming the metrics there are. Recorded in {@code pipeline.json} as {@code metric_gate}.
     *
     * @param metric  the metric
     * @param atMost  the largest acceptable value, or null
     * @param atLeast the smallest acceptable value, or null
     */
    public record MetricGate(String metric, Double atMost, Double atLeast) implements Step {

        /** Validates the bounds. */
        public MetricGate {
            if (metric == null || metric.isBlank()) {
                throw new IllegalArgumentException("a metric gate needs a metric name but was " + (metric == null ? "null" : "'" + metric + "'"));
            }
            if (atMost == null && atLeast == null) {
                throw new IllegalArgumentException("a metric gate needs a bound: atMost, atLeast or both");
            }
            if ((atMost != null && !Double.isFinite(atMost)) || (atLeast != null && !Double.isFinite(atLeast))) {
                throw new IllegalArgumentException("metric gate bounds must be finite but were atMost=" + atMost + ", atLeast=" + atLeast);
            }
            if (atMost != null && atLeast != null && atLeast > atMost) {
                throw new IllegalArgumentException("metric gate on '" + metric + "': atLeast " + atLeast + " is above atMost " + atMost);
            }
        }

        @Override
        public Phase phase() {
            return Phase.EVALUATED;
        }

        @Override
        public List<String> check(PipelineSpec spec) {
            if (metric.startsWith("cv_") && spec.crossValidation() == null) {
                return List.of("the metric gate on '" + metric + "' needs cross-validation; add crossValidate(k)");
            }
            return List.of();
        }

        @Override
        public void apply(StepContext context) {
            Double v = context.metrics().get(metric);
            if (v == null) {
                context.veto("metric gate: the run records no metric '" + metric + "'; metrics are " + context.metrics().keySet());
            } else if (atMost != null && !(v <= atMost)) {
                context.veto("metric gate: " + metric + " = " + v + " is above " + atMost);
            } else if (atLeast != null && !(v >= atLeast)) {
                context.veto("metric gate: " + metric + " = " + v + " is below " + atLeast);
            }
        }
    }

    /**
     * @param expectations the data contract
     * @return a step at {@link Phase#LOADED} that checks the data against it (failing the run with one report of
     *     every violation, before anything is fitted) and carries it in the bundle as {@code expectations.json}
     */
    public static Validate validate(Expectations expectations) {
        return new Validate(expectations);
    }

    /**
     * Checks the loaded data against a contract and carries the contract in the bundle, where the predictor checks
     * each batch against it. Recorded in {@code pipeline.json} as {@code validate}.
     *
     * @param expectations the contract
     */
    public record Validate(Expectations expectations) implements Step {
        /** Requires expectations. */
        public Validate {
            Objects.requireNonNull(expectations, "expectations");
        }

        @Override
        public Phase phase() {
            return Phase.LOADED;
        }

        @Override
        public void apply(StepContext context) {
            ValidationReport report = expectations.validate(context.data());
            context.run().ifPresent(r -> r.logArtifact("dataset/validation.txt",
                    report.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            report.throwIfInvalid();
            context.attach(Expectations.FILE, expectations.toJson());
        }
    }
}
