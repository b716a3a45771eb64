package org.mlops4j.core.registry;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.evaluate.Evaluation;
import org.mlops4j.core.evaluate.Metrics;
import org.mlops4j.core.internal.Names;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.tracking.RunBatch;
import org.mlops4j.core.tracking.Tracker;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Promotion by proof: a rule under which a registered version may take an alias. The challenger and the
 * version holding the alias now are evaluated on the same rows (the challenger's holdout), each through its own
 * bundled transforms; the alias moves only if the rule holds. Every decision — both scores, the rows' data
 * version, the rule, the outcome, when and what asked — is recorded on the version (a {@code mlops.promotion.*}
 * tag) and, given a tracker, on its run; {@link #history} reads the decisions back, {@link #rollback} moves the
 * alias back and is recorded the same way. Immutable; each method returns a changed rule.
 *
 * <p>{@code ifBeats(metric)} asks for a strictly better score than the holder's; {@code within(t)} also accepts a
 * score at most {@code t} worse (absolute). Lower is better for {@code rmse}, {@code mae}, {@code mse},
 * {@code mape} and losses, higher for the rest, unless {@link #lowerIsBetter(boolean)} says otherwise. Floors
 * ({@link #minimum}, {@link #maximum}) bound the challenger's own scores. When no version holds the alias the
 * floors alone decide.
 * {@snippet :
 * Promotion rule = Promotion.to("champion").ifBeats("rmse").within(0.01).maximum("rmse", 5.0).by("nightly job");
 * PromotionDecision d = rule.decide(registry, "house-prices/4", holdoutRows, tracker);
 * if (!d.moved()) {
 *     System.out.println(d.reason());   // "rmse 3.41 is worse than the holder's 3.05 by more than 0.01"
 * }
 * Promotion.rollback(registry, "house-prices", "champion", tracker, "on-call");
 * Promotion.history(registry, "house-prices").forEach(System.out::println);
 * }
 *
 * @param alias         the alias to move
 * @param metric        the metric to beat the holder on, or null
 * @param tolerance     how much worse than the holder still passes (absolute, 0 = strictly better)
 * @param lowerIsBetter the direction of the metric, or null to infer it from its name
 * @param minimums      metric to the lowest acceptable challenger score
 * @param maximums      metric to the highest acceptable challenger score
 * @param decidedBy     what asks, recorded with each decision
 */
public record Promotion(String alias, String metric, double tolerance, Boolean lowerIsBetter, Map<String, Double> minimums,
                        Map<String, Double> maximums, String decidedBy) {
    private static final Set<String> LOWER_BETTER = Set.of("rmse", "mae", "mse", "mape", "log_loss", "logloss", "loss", "error");

    /** Validates and copies. */
    public Promotion {
        Names.alias(alias);
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be a finite number >= 0 but was " + tolerance);
        }
        minimums = Map.copyOf(new LinkedHashMap<>(minimums));
        maximums = Map.copyOf(new LinkedHashMap<>(maximums));
        Objects.requireNonNull(decidedBy, "decidedBy");
    }

    /**
     * @param alias the alias to move ({@code champion})
     * @return a rule with no condition yet (add {@link #ifBeats} and floors)
     */
    public static Promotion to(String alias) {
        return new Promotion(alias, null, 0, null, Map.of(), Map.of(), "api (user " + System.getProperty("user.name", "?") + ")");
    }

    /**
     * @param metricName a metric of the evaluator ({@code rmse}; a {@code holdout_} prefix is accepted)
     * @return this rule, asking the challenger to score better than the holder on the same rows
     */
    public Promotion ifBeats(String metricName) {
        return new Promotion(alias, bare(metricName), tolerance, lowerIsBetter, minimums, maximums, decidedBy);
    }

    /**
     * @param t how much worse than the holder (absolute) still passes
     * @return this rule with that tolerance
     */
    public Promotion within(double t) {
        if (metric == null) {
            throw new IllegalStateException("within(" + t + ") qualifies ifBeats(metric): call ifBeats first");
        }
        return new Promotion(alias, metric, t, lowerIsBetter, minimums, maximums, decidedBy);
    }

    /**
     * @param lower whether a lower value of the compared metric is better
     * @return this rule with that direction
     */
    public Promotion lowerIsBetter(boolean lower) {
        return new Promotion(alias, metric, tolerance, lower, minimums, maximums, decidedBy);
    }

    /**
     * @param metricName a metric
     * @param floor      the lowest acceptable challenger score
     * @return this rule with that floor
     */
    public Promotion minimum(String metricName, double floor) {
        Map<String, Double> m = new LinkedHashMap<>(minimums);
        m.put(bare(metricName), finite(floor, "minimum"));
        return new Promotion(alias, metric, tolerance, lowerIsBetter, m, maximums, decidedBy);
    }

    /**
     * @param metricName a metric
     * @param ceiling    the highest acceptable challenger score
     * @return this rule with that ceiling
     */
    public Promotion maximum(String metricName, double ceiling) {
        Map<String, Double> m = new LinkedHashMap<>(maximums);
        m.put(bare(metricName), finite(ceiling, "maximum"));
        return new Promotion(alias, metric, tolerance, lowerIsBetter, minimums, m, decidedBy);
    }

    /**
     * @param who what asks (recorded with each decision)
     * @return this rule, asked by that
     */
    public Promotion by(String who) {
        if (who == null || who.isBlank()) {
            throw new IllegalArgumentException("by(...) needs who asks, not " + Names.quote(who));
        }
        return new Promotion(alias, metric, tolerance, lowerIsBetter, minimums, maximums, who);
    }

    private static double finite(double v, String what) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite but was " + v);
        }
        return v;
    }

    private static String bare(String metricName) {
        if (metricName == null || metricName.isBlank()) {
            throw new IllegalArgumentException("a metric name is needed, not " + Names.quote(metricName));
        }
        return metricName.startsWith("holdout_") ? metricName.substring("holdout_".length()) : metricName;
    }

    private boolean lowerBetter() {
        if (lowerIsBetter != null) {
            return lowerIsBetter;
        }
        String m = metric.toLowerCase(Locale.ROOT);
        return LOWER_BETTER.contains(m) || m.endsWith("_error") || m.endsWith("loss");
    }

    /** @return the rule in words, as recorded */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (metric != null) {
            parts.add("beats the holder on " + metric + " (" + (lowerBetter() ? "lower" : "higher") + " is better"
                    + (tolerance > 0 ? ", within " + tolerance : "") + ")");
        }
        minimums.forEach((k, v) -> parts.add(k + " >= " + v));
        maximums.forEach((k, v) -> parts.add(k + " <= " + v));
        return "to " + alias + (parts.isEmpty() ? " unconditionally" : " if " + String.join(" and ", parts));
    }

    /**
     * @param registry   the registry
     * @param challenger {@code name/N} (or {@code name@alias}) of the version asking for the alias
     * @param rows       rows with the label column to evaluate both versions on (the challenger's holdout)
     * @return the decision, recorded on the challenger's version
     */
    public PromotionDecision decide(ModelRegistry registry, String challenger, Dataset rows) {
        return decide(registry, challenger, rows, null);
    }

    /**
     * Evaluates the challenger and the holder on the rows, moves the alias if the rule holds, and records the
     * decision on the challenger's version and, with a tracker, on its run.
     *
     * @param registry   the registry
     * @param challenger {@code name/N} of the version asking for the alias
     * @param rows       rows with the label column (the challenger's holdout)
     * @param tracker    where the challenger's run is recorded, or null
     * @return the decision
     * @throws BundleIntegrityException when the challenger's own bundle does not verify
     * @throws IllegalArgumentException when there are no rows, or they lack the label
     */
    public PromotionDecision decide(ModelRegistry registry, String challenger, Dataset rows, Tracker tracker) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(rows, "rows");
        ModelVersion c = registry.version(challenger.startsWith("models:/") ? challenger.substring(8) : challenger);
        ModelBundle cb = registry.load(c.ref());
        String label = cb.manifest().label();
        if (rows.rowCount() == 0) {
            throw new IllegalArgumentException("cannot decide a promotion of " + c.name() + "/" + c.version()
                    + " on no rows: its holdout is empty; evaluate on rows that have the label '" + label + "'");
        }
        if (!rows.schema().contains(label)) {
            throw new IllegalArgumentException("the rows to decide on (" + rows.source() + ") have no label column '" + label
                    + "'; columns are " + rows.schema().names());
        }
        Task task = cb.manifest().task();
        Target truth = task == Task.CLASSIFICATION ? Target.classesAsGiven(rows, label) : Target.of(rows, label, task);
        Evaluation ce = score(cb, rows, truth);
        requireMetrics(ce.values().keySet(), c.name() + "/" + c.version());
        Integer holder = holderOf(registry, c.name(), alias);
        List<String> failed = new ArrayList<>();
        double cs = Double.NaN;
        double hs = Double.NaN;
        minimums.forEach((k, v) -> check(ce, k, v, true, failed));
        maximums.forEach((k, v) -> check(ce, k, v, false, failed));
        String reason;
        if (holder != null && holder == c.version()) {
            reason = "version " + c.version() + " already holds '" + alias + "'";
            failed.add(reason);
        }
        if (metric != null) {
            cs = value(ce, metric, failed);
        }
        if (holder != null && holder != c.version() && metric != null && failed.isEmpty()) {
            try {
                ModelBundle hb = registry.load(new ModelRef(c.name(), holder, null));
                if (!hb.manifest().label().equals(label) || hb.manifest().task() != task) {
                    failed.add("the holder " + c.name() + "/" + holder + " predicts '" + hb.manifest().label() + "' ("
                            + hb.manifest().task() + "), not '" + label + "' (" + task + "): they cannot be compared");
                } else {
                    hs = value(score(hb, rows, truth), metric, failed);
                    double margin = lowerBetter() ? hs - cs : cs - hs;
                    boolean holds = margin > 0 || (tolerance > 0 && margin >= -tolerance);
                    if (!holds) {
                        failed.add(String.format(Locale.ROOT, "%s %.6g is %s than the holder's %.6g%s", metric, cs,
                                margin == 0 ? "no better" : "worse", hs, tolerance > 0 ? " by more than " + tolerance : ""));
                    }
                }
            } catch (BundleIntegrityException e) {
                failed.add("the holder " + c.name() + "/" + holder + " cannot be evaluated: " + e.getMessage()
                        + "; fix or roll back the holder (mlops models rollback), or delete the alias, then promote again");
            }
        }
        boolean promote = failed.isEmpty();
        if (promote) {
            registry.setAlias(c.name(), alias, c.version());
            reason = holder == null ? "no version held '" + alias + "'" + (minimums.isEmpty() && maximums.isEmpty() ? "" : "; the floors hold")
                    : metric == null ? "the floors hold" : String.format(Locale.ROOT, "%s %.6g vs the holder's %.6g: the rule holds", metric, cs, hs);
        } else {
            reason = String.join("; ", failed);
        }
        PromotionDecision d = new PromotionDecision(c.name(), alias, promote ? PromotionDecision.Outcome.PROMOTED
                : PromotionDecision.Outcome.REFUSED, c.version(), holder == null ? 0 : holder, metric, cs, hs,
                c.lineage() == null ? null : c.lineage().datasetVersion(), rows.version().id(),
                rows.rowCount(), describe(), reason, Clock.systemUTC().instant(), decidedBy, c.lineage().runId());
        record(registry, tracker, c, d);
        return d;
    }

    private Evaluation score(ModelBundle b, Dataset rows, Target truth) {
        Predictor p = b.predictor().lenient().onViolation(Predictor.OnViolation.IGNORE);
        return Metrics.forTask(b.manifest().task()).evaluate(truth, p.predict(rows));
    }

    /**
     * Checks that every metric this rule names is among those an evaluation computes: a metric the evaluator does
     * not compute is a mistake in the rule (a typo, the wrong task), not a verdict on the model, so it fails before
     * anything is registered or recorded and leaves the alias where it is.
     *
     * @param known the metric names an evaluation computes ({@code rmse}, {@code r2} …)
     * @param what  what is being decided on, for the message
     * @throws IllegalArgumentException naming the first unknown metric and the known ones
     */
    public void requireMetrics(java.util.Set<String> known, String what) {
        List<String> names = new ArrayList<>();
        if (metric != null) {
            names.add(metric);
        }
        names.addAll(minimums.keySet());
        names.addAll(maximums.keySet());
        for (String k : names) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("no metric '" + k + "' for " + what + ": its evaluator computes " + known
                        + "; nothing was recorded");
            }
        }
    }

    private static void check(Evaluation e, String k, double bound, boolean floor, List<String> failed) {
        Double v = e.values().get(k);
        if (v == null) {
            failed.add("no metric '" + k + "' to check; metrics are " + e.values().keySet());
        } else if (floor ? !(v >= bound) : !(v <= bound)) {
            failed.add(String.format(Locale.ROOT, "%s %.6g is %s %s", k, v, floor ? "below the minimum" : "above the maximum", bound));
        }
    }

    private static double value(Evaluation e, String k, List<String> failed) {
        Double v = e.values().get(k);
        if (v == null) {
            failed.add("no metric '" + k + "' to compare; metrics are " + e.values().keySet());
            return Double.NaN;
        }
        return v;
    }

    private static void record(ModelRegistry registry, Tracker tracker, ModelVersion v, PromotionDecision d) {
        String key = PromotionDecision.TAG_PREFIX + String.format(Locale.ROOT, "%013d", d.decidedAt().toEpochMilli()) + "." + d.alias();
        Map<String, String> tags = registry.version(v.ref()).tags();
        String unique = key;
        for (int i = 2; tags.containsKey(unique); i++) {
            unique = key + "." + i;
        }
        String json = d.toJson();
        registry.setTag(v.name(), v.version(), unique, json);
        if (tracker != null && v.lineage().runId() != null && tracker.run(v.lineage().runId()).isPresent()) {
            tracker.more().logBatch(v.lineage().runId(), new RunBatch(Map.of(), List.of(), Map.of(unique, json)));
        }
    }

    /**
     * Undoes the newest promotion of an alias that no rollback has undone yet: moves the alias back to the version
     * that held it before, and records the rollback on that version (and its run, with a tracker). Rolling back
     * again undoes the promotion before that one.
     *
     * @param registry  the registry
     * @param name      the model
     * @param alias     the alias
     * @param tracker   where the runs are recorded, or null
     * @param decidedBy what asks
     * @return the rollback decision
     * @throws IllegalStateException when no recorded promotion says what held the alias before
     * @throws BundleIntegrityException when the version to go back to no longer verifies (the alias stays)
     */
    public static PromotionDecision rollback(ModelRegistry registry, String name, String alias, Tracker tracker, String decidedBy) {
        Names.alias(alias);
        Integer now = holderOf(registry, name, alias);
        if (now == null) {
            throw new IllegalStateException("model '" + name + "' has no alias '" + alias + "' to roll back");
        }
        List<PromotionDecision> h = history(registry, name);
        // promotions stack up and each rollback undoes the newest one left
        java.util.ArrayDeque<PromotionDecision> stack = new java.util.ArrayDeque<>();
        for (PromotionDecision d : h) {
            if (!d.alias().equals(alias)) {
                continue;
            }
            if (d.outcome() == PromotionDecision.Outcome.PROMOTED) {
                stack.push(d);
            } else if (d.outcome() == PromotionDecision.Outcome.ROLLED_BACK && !stack.isEmpty()) {
                stack.pop();
            }
        }
        PromotionDecision last = stack.peek();
        if (last != null && last.challenger() != now) {
            throw new IllegalStateException(name + "@" + alias + " points at version " + now + " but the last recorded promotion gave it"
                    + " to version " + last.challenger() + " (the alias was moved by hand?); set it by hand (ModelRegistry.setAlias, or mlops models alias " + name + " " + alias
                    + " VERSION)");
        }
        if (last == null || last.current() == 0) {
            throw new IllegalStateException("no recorded promotion says which version held " + name + "@" + alias + " before version "
                    + now + "; set the alias by hand if you know it (ModelRegistry.setAlias, or mlops models alias " + name + " " + alias
                    + " VERSION)");
        }
        int back = last.current();
        registry.load(new ModelRef(name, back, null)); // refuse to roll back onto a bundle that no longer verifies
        registry.setAlias(name, alias, back);
        ModelVersion target = registry.version(new ModelRef(name, back, null));
        PromotionDecision d = new PromotionDecision(name, alias, PromotionDecision.Outcome.ROLLED_BACK, back, now, null, Double.NaN,
                Double.NaN, null, null, 0, "rollback of " + name + "@" + alias, "moved back from version " + now + " to version " + back
                + ", which held it before " + last.decidedAt(), Clock.systemUTC().instant(), Objects.requireNonNull(decidedBy, "decidedBy"),
                target.lineage().runId());
        record(registry, tracker, target, d);
        return d;
    }

    private static Integer holderOf(ModelRegistry registry, String name, String alias) {
        try {
            return registry.version(new ModelRef(name, 0, alias)).version();
        } catch (ModelNotFoundException e) {
            return null;
        }
    }

    /**
     * @param registry the registry
     * @param name     the model
     * @return every recorded decision about its aliases, oldest first
     */
    public static List<PromotionDecision> history(ModelRegistry registry, String name) {
        List<PromotionDecision> out = new ArrayList<>();
        for (ModelVersion v : registry.versions(name)) {
            v.tags().forEach((k, json) -> {
                if (k.startsWith(PromotionDecision.TAG_PREFIX)) {
                    try {
                        out.add(PromotionDecision.fromJson(json));
                    } catch (IllegalArgumentException ignored) {
                        // a tag someone else wrote under the prefix is not a decision
                    }
                }
            });
        }
        out.sort(Comparator.comparing(PromotionDecision::decidedAt));
        return out;
    }
}
