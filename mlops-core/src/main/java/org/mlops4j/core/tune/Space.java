package org.mlops4j.core.tune;

import org.mlops4j.core.train.Trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A typed search space: a base trainer and the hyperparameters to vary, each bound to one of the trainer's
 * own withers, so a sampled configuration is just the base trainer with those withers applied. Int and
 * float ranges (uniform, log, stepped), categorical choices, and conditional parameters (used only when
 * another parameter has one of some values). Immutable: every method returns a new space; a bad
 * specification (empty range, low above high, a log range reaching zero or below, a name used twice, a
 * condition on an unknown or later parameter) fails at once, naming the parameter.
 * {@snippet :
 * Space<RandomForest> space = Space.of(RandomForest.regression().seed(42))
 *         .ints("trees", RandomForest::trees, 50, 500, 50)
 *         .ints("max_depth", RandomForest::maxDepth, 3, 20)
 *         .logDoubles("min_child_weight", RandomForest::minChildWeight, 1, 20)
 *         .doubles("feature_fraction", RandomForest::featureFraction, 0.3, 1.0);
 * RandomForest one = space.apply(Map.of("trees", 200, "max_depth", 8, "min_child_weight", 2.0, "feature_fraction", 0.5));
 * }
 *
 * @param <T> the trainer type
 */
public final class Space<T extends Trainer> {
    private final T base;
    private final List<Param<T>> params;

    private Space(T base, List<Param<T>> params) {
        this.base = base;
        this.params = List.copyOf(params);
    }

    /**
     * @param base the trainer every configuration starts from (its other hyperparameters stay as set)
     * @param <T>  the trainer type
     * @return a space with no parameter yet
     */
    public static <T extends Trainer> Space<T> of(T base) {
        return new Space<>(Objects.requireNonNull(base, "base"), List.of());
    }

    /** One hyperparameter of a space: its name, what values it takes, how it is set, and when it is used. */
    public sealed interface Param<T extends Trainer> permits IntParam, DoubleParam, ChoiceParam {
        /** @return the name, as recorded with each trial */
        String name();

        /** @return the parameter this one depends on and the values that make it used, or null when always used */
        Condition condition();

        /**
         * @param trainer a trainer
         * @param value   a value of this parameter
         * @return the trainer with the value set
         */
        T apply(T trainer, Object value);
    }

    /**
     * When a conditional parameter is used.
     *
     * @param parent the parameter it depends on
     * @param values the parent's values that make it used
     */
    public record Condition(String parent, List<Object> values) {
        /** Copies. */
        public Condition {
            values = List.copyOf(values);
        }
    }

    /**
     * An integer range, inclusive, uniform or log, in steps.
     *
     * @param name      name
     * @param low       smallest value
     * @param high      largest value
     * @param step      step (1 for every integer)
     * @param log       whether sampled uniformly in log space
     * @param wither    sets the value on a trainer
     * @param condition when it is used, or null
     * @param <T>       the trainer type
     */
    public record IntParam<T extends Trainer>(String name, int low, int high, int step, boolean log,
                                              BiFunction<T, Integer, T> wither, Condition condition) implements Param<T> {
        @Override
        public T apply(T trainer, Object value) {
            return wither.apply(trainer, ((Number) value).intValue());
        }
    }

    /**
     * A float range, inclusive, uniform or log, continuous or in steps.
     *
     * @param name      name
     * @param low       smallest value
     * @param high      largest value
     * @param step      step, or null for continuous
     * @param log       whether sampled uniformly in log space
     * @param wither    sets the value on a trainer
     * @param condition when it is used, or null
     * @param <T>       the trainer type
     */
    public record DoubleParam<T extends Trainer>(String name, double low, double high, Double step, boolean log,
                                                 BiFunction<T, Double, T> wither, Condition condition) implements Param<T> {
        @Override
        public T apply(T trainer, Object value) {
            return wither.apply(trainer, ((Number) value).doubleValue());
        }
    }

    /**
     * A choice among values.
     *
     * @param name      name
     * @param values    the choices, in order
     * @param wither    sets the value on a trainer
     * @param condition when it is used, or null
     * @param <T>       the trainer type
     */
    public record ChoiceParam<T extends Trainer>(String name, List<Object> values, BiFunction<T, Object, T> wither,
                                                 Condition condition) implements Param<T> {
        /** Copies. */
        public ChoiceParam {
            values = List.copyOf(values);
        }

        @Override
        public T apply(T trainer, Object value) {
            return wither.apply(trainer, value);
        }
    }

    /** @return the base trainer */
    public T base() {
        return base;
    }

    /** @return the parameters, in the order added */
    public List<Param<T>> params() {
        return params;
    }

    /**
     * @param name     parameter name
     * @param wither   the trainer's wither ({@code RandomForest::trees})
     * @param low      smallest value
     * @param high     largest value
     * @return this space with every integer in [low, high]
     */
    public Space<T> ints(String name, BiFunction<T, Integer, T> wither, int low, int high) {
        return ints(name, wither, low, high, 1);
    }

    /**
     * @param name   parameter name
     * @param wither the trainer's wither
     * @param low    smallest value
     * @param high   largest value (reached only when {@code high - low} is a multiple of the step)
     * @param step   step, at least 1
     * @return this space with low, low + step, … up to high
     */
    public Space<T> ints(String name, BiFunction<T, Integer, T> wither, int low, int high, int step) {
        checkName(name);
        if (low > high) {
            throw new IllegalArgumentException("parameter '" + name + "': low " + low + " is above high " + high);
        }
        if (step < 1) {
            throw new IllegalArgumentException("parameter '" + name + "': step must be >= 1 but was " + step);
        }
        if (high > low && step > (long) high - low) {
            throw new IllegalArgumentException("parameter '" + name + "': step " + step + " is larger than the range " + low + ".."
                    + high + ", so only " + low + " would ever be tried; lower the step or widen the range");
        }
        return add(new IntParam<>(name, low, high, step, false, Objects.requireNonNull(wither, "wither"), null));
    }

    /**
     * @param name   parameter name
     * @param wither the trainer's wither
     * @param low    smallest value, at least 1
     * @param high   largest value
     * @return this space with integers in [low, high], sampled uniformly in log space
     */
    public Space<T> logInts(String name, BiFunction<T, Integer, T> wither, int low, int high) {
        checkName(name);
        if (low > high) {
            throw new IllegalArgumentException("parameter '" + name + "': low " + low + " is above high " + high);
        }
        if (low <= 0) {
            throw new IllegalArgumentException("parameter '" + name + "': a log range needs low > 0 but low was " + low);
        }
        return add(new IntParam<>(name, low, high, 1, true, Objects.requireNonNull(wither, "wither"), null));
    }

    /**
     * @param name   parameter name
     * @param wither the trainer's wither
     * @param low    smallest value
     * @param high   largest value, above low
     * @return this space with every value in [low, high]
     */
    public Space<T> doubles(String name, BiFunction<T, Double, T> wither, double low, double high) {
        return doubles(name, wither, low, high, null, false);
    }

    /**
     * @param name   parameter name
     * @param wither the trainer's wither
     * @param low    smallest value
     * @param high   largest value
     * @param step   step, above 0
     * @return this space with low, low + step, … up to high
     */
    public Space<T> doubles(String name, BiFunction<T, Double, T> wither, double low, double high, double step) {
        if (!(step > 0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("parameter '" + name + "': step must be > 0 and finite but was " + step);
        }
        return doubles(name, wither, low, high, step, false);
    }

    /**
     * @param name   parameter name
     * @param wither the trainer's wither
     * @param low    smallest value, above 0
     * @param high   largest value, above low
     * @return this space with values in [low, high], sampled uniformly in log space
     */
    public Space<T> logDoubles(String name, BiFunction<T, Double, T> wither, double low, double high) {
        return doubles(name, wither, low, high, null, true);
    }

    private Space<T> doubles(String name, BiFunction<T, Double, T> wither, double low, double high, Double step, boolean log) {
        checkName(name);
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            throw new IllegalArgumentException("parameter '" + name + "': the range must be finite but was [" + low + ", " + high + "]");
        }
        if (low > high || (step == null && low == high)) {
            throw new IllegalArgumentException("parameter '" + name + "': the range [" + low + ", " + high + "] is empty;"
                    + " low must be below high");
        }
        if (log && low <= 0) {
            throw new IllegalArgumentException("parameter '" + name + "': a log range needs low > 0 but low was " + low);
        }
        if (step != null && high > low && Distributions.steps(low, high, step) == 0) {
            throw new IllegalArgumentException("parameter '" + name + "': step " + step + " is larger than the range [" + low + ", "
                    + high + "], so only " + low + " would ever be tried; lower the step or widen the range");
        }
        return add(new DoubleParam<>(name, low, high, step, log, Objects.requireNonNull(wither, "wither"), null));
    }

    /**
     * @param name   parameter name
     * @param wither the trainer's wither
     * @param values the choices (at least one; none twice)
     * @param <V>    the value type
     * @return this space with a choice among the values
     */
    @SuppressWarnings("unchecked")
    public <V> Space<T> choice(String name, BiFunction<T, V, T> wither, List<V> values) {
        checkName(name);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("parameter '" + name + "': a choice needs at least one value");
        }
        if (new java.util.HashSet<>(values).size() != values.size()) {
            throw new IllegalArgumentException("parameter '" + name + "': the choices " + values + " repeat a value");
        }
        Objects.requireNonNull(wither, "wither");
        return add(new ChoiceParam<>(name, new ArrayList<>(values), (t, v) -> wither.apply(t, (V) v), null));
    }

    /**
     * Makes the last parameter added conditional: it is sampled and set only when {@code parent} has one of
     * {@code values}.
     *
     * @param parent a parameter added before the last one
     * @param values the parent's values that make the last parameter used
     * @return this space with the condition
     */
    public Space<T> when(String parent, Object... values) {
        if (params.isEmpty()) {
            throw new IllegalStateException("when(...) applies to the last parameter added, and there is none yet");
        }
        Param<T> last = params.get(params.size() - 1);
        Param<T> p = params.stream().limit(params.size() - 1L).filter(x -> x.name().equals(parent)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("parameter '" + last.name() + "': its condition names '" + parent
                        + "', which is not a parameter added before it; parameters are " + names()));
        if (values.length == 0) {
            throw new IllegalArgumentException("parameter '" + last.name() + "': a condition needs at least one value of '"
                    + parent + "'");
        }
        if (p instanceof DoubleParam<T> d && d.step() == null) {
            throw new IllegalArgumentException("parameter '" + last.name() + "': '" + parent + "' is a continuous float range, so"
                    + " it never takes one exact value and the condition would never hold; condition on a choice or a stepped range");
        }
        for (Object v : values) {
            if (p instanceof ChoiceParam<T> c && !c.values().contains(v)) {
                throw new IllegalArgumentException("parameter '" + last.name() + "': '" + parent + "' never takes " + v
                        + "; its choices are " + c.values());
            }
            if (p instanceof IntParam<T> i && !(v instanceof Integer x && x >= i.low() && x <= i.high() && (x - i.low()) % i.step() == 0)) {
                throw new IllegalArgumentException("parameter '" + last.name() + "': '" + parent + "' never takes " + describeValue(v)
                        + "; it takes the ints " + i.low() + ".." + i.high() + (i.step() > 1 ? " in steps of " + i.step() : ""));
            }
            if (p instanceof DoubleParam<T> d && d.step() != null && !(v instanceof Double x && x >= d.low() && x <= d.high()
                    && Distributions.toStep(x, d.low(), d.step(), d.high()) == x)) {
                throw new IllegalArgumentException("parameter '" + last.name() + "': '" + parent + "' never takes " + describeValue(v)
                        + "; it takes the floats " + d.low() + ".." + d.high() + " in steps of " + d.step());
            }
        }
        Condition cond = new Condition(parent, List.of(values));
        Param<T> conditional = switch (last) {
            case IntParam<T> i -> new IntParam<>(i.name(), i.low(), i.high(), i.step(), i.log(), i.wither(), cond);
            case DoubleParam<T> d -> new DoubleParam<>(d.name(), d.low(), d.high(), d.step(), d.log(), d.wither(), cond);
            case ChoiceParam<T> c -> new ChoiceParam<>(c.name(), c.values(), c.wither(), cond);
        };
        List<Param<T>> out = new ArrayList<>(params.subList(0, params.size() - 1));
        out.add(conditional);
        return new Space<>(base, out);
    }

    /**
     * @param values a configuration: a value for every parameter in use (as a sampler gives it)
     * @return the base trainer with each value set through its wither, in the order the parameters were added
     * @throws IllegalArgumentException when a used parameter has no value
     */
    public T apply(Map<String, Object> values) {
        T t = base;
        for (Param<T> p : params) {
            if (!isUsed(p, values)) {
                continue;
            }
            Object v = values.get(p.name());
            if (v == null) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' has no value in " + values);
            }
            t = p.apply(t, v);
        }
        return t;
    }

    /**
     * @param p      a parameter of this space
     * @param values the values chosen so far
     * @return whether the parameter is used given those values
     */
    boolean isUsed(Param<T> p, Map<String, Object> values) {
        Condition c = p.condition();
        return c == null || (values.containsKey(c.parent()) && c.values().contains(values.get(c.parent())));
    }

    private static String describeValue(Object v) {
        return v == null ? "null" : v instanceof String str ? "'" + str + "'" : v + " (" + v.getClass().getSimpleName() + ")";
    }

    /** @return the parameter names, in order */
    public List<String> names() {
        return params.stream().map(Param::name).toList();
    }

    /** @return each parameter and its range, for run records ({@code trees=int[50..500/50]}) */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Param<T> p : params) {
            String d = switch (p) {
                case IntParam<T> i -> (i.log() ? "log " : "") + "int[" + i.low() + ".." + i.high() + (i.step() > 1 ? "/" + i.step() : "") + "]";
                case DoubleParam<T> x -> (x.log() ? "log " : "") + "float[" + x.low() + ".." + x.high() + (x.step() == null ? "" : "/" + x.step()) + "]";
                case ChoiceParam<T> c -> "choice" + c.values();
            };
            if (p.condition() != null) {
                d += " when " + p.condition().parent() + " in " + p.condition().values();
            }
            m.put(p.name(), d);
        }
        return m;
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    private void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a parameter needs a name but was " + (name == null ? "null" : "'" + name + "'"));
        }
        if (!NAME.matcher(name).matches()) {
            // it becomes a tracked param key (space.NAME, chosen.NAME) of every trial: refused here, not mid-study
            throw new IllegalArgumentException("parameter '" + name + "': a name is 1-100 letters, digits, '_', '.' or '-',"
                    + " starting with a letter or digit");
        }
        if (names().contains(name)) {
            throw new IllegalArgumentException("parameter '" + name + "' is already in the space; each parameter once");
        }
    }

    private Space<T> add(Param<T> p) {
        List<Param<T>> out = new ArrayList<>(params);
        out.add(p);
        return new Space<>(base, out);
    }

    @Override
    public String toString() {
        return "Space[" + base.spec().name() + " " + describe() + "]";
    }
}
