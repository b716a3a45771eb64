package org.mlops4j.benchmarks.tune;

import org.mlops4j.benchmarks.BenchmarkData;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.evaluate.CrossValidation;
import org.mlops4j.core.evaluate.Evaluation;
import org.mlops4j.core.evaluate.Split;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.RandomForest;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.Trainer;
import org.mlops4j.core.train.TrainingSet;
import org.mlops4j.core.train.Validator;
import org.mlops4j.core.tune.Pruner;
import org.mlops4j.core.tune.Pruners;
import org.mlops4j.core.tune.Sampler;
import org.mlops4j.core.tune.Samplers;
import org.mlops4j.core.tune.Space;
import org.mlops4j.core.tune.Study;
import org.mlops4j.core.tune.StudyResult;
import org.mlops4j.core.tune.StudyStorage;
import org.mlops4j.core.tune.Trial;
import org.mlops4j.core.tune.TrialState;
import org.mlops4j.core.tune.Tune;
import org.mlops4j.tracking.jdbc.JdbcTrackingStore;
import org.mlops4j.tracking.jdbc.PostgresTrackingStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Study-level benchmarks of {@code org.mlops4j.core.tune} (BENCHMARKS.md, section "Tuning"): plain main-class
 * experiments, as each measures whole studies (seconds to minutes), not a small operation JMH would time.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.mlops4j.benchmarks.tune.TuningBench MODE [args]
 *   table [file] [workers]       run the full grid on the house prices (real 3-fold CV) and write every
 *                                configuration's per-fold RMSE and time to file (default
 *                                benchmarks/target/tune-results/grid-table.csv)
 *   samplers [file] [seeds]      replay grid, random, TPE and multivariate TPE against that table for seeds
 *                                0..seeds-1 (default 20): trials until within 2 % of the grid's best CV RMSE
 *   pruning-replay [file] [seeds] [trials]   median pruning against none, replayed on the table: best result,
 *                                folds fitted, fitting time the table says they cost
 *   pruning [seeds] [trials] [file]   the same with real fits and wall time (TPE, one worker), each study checked
 *                                against its replay on the table
 *   parallel [trials] [rounds]   wall time of one study of cheap trials on 1 and on 2 workers, alternating
 *   share JDBC_URL [trials] [rounds]   trials per minute of one study: one JVM in memory, one JVM on PostgreSQL,
 *                                two JVMs sharing it on PostgreSQL, one JVM with two workers on PostgreSQL
 * </pre>
 * The table replay is legitimate because the objective is deterministic: the forest's seed (42) and the folds'
 * seed (42) are fixed, so a configuration's CV RMSE is the same number every time it is fitted; the replay runs
 * the real {@link Study} (its samplers, pruners and runner) with a {@link Validator} that looks the folds up.
 */
public final class TuningBench {
    static final Path DEFAULT_TABLE = Path.of("benchmarks/target/tune-results/grid-table.csv");
    /** How close to the grid's best a sampler must come. */
    static final double WITHIN = 0.02;

    private TuningBench() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        String mode = args.length == 0 ? "help" : args[0];
        switch (mode) {
            case "table" -> table(path(args, 1), intArg(args, 2, 2));
            case "samplers" -> samplers(path(args, 1), intArg(args, 2, 20));
            case "pruning-replay" -> pruningReplay(path(args, 1), intArg(args, 2, 20), intArg(args, 3, 40));
            case "pruning" -> pruning(path(args, 3), intArg(args, 1, 2), intArg(args, 2, 40));
            case "parallel" -> parallel(intArg(args, 1, 40), intArg(args, 2, 5));
            case "share" -> share(args[1], intArg(args, 2, 40), intArg(args, 3, 3));
            case "share-child" -> shareChild(args);
            default -> {
                System.err.println("usage: TuningBench table|samplers|pruning-replay|pruning|parallel|share [args] (see the class javadoc)");
                System.exit(2);
            }
        }
    }

    private static Path path(String[] args, int i) {
        return args.length > i ? Path.of(args[i]) : DEFAULT_TABLE;
    }

    private static int intArg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The spaces and the data

    /**
     * The house-price forest space of the sample, on a step grid so that the full grid is finite: 4 × 6 × 4 × 4
     * = 384 configurations. trees → Tribuo's ensemble size; max_depth → {@code CARTRegressionTrainer.maxDepth};
     * min_child_weight → its {@code minChildWeight}; feature_fraction → its {@code fractionFeaturesInSplit}
     * (1.0 is bagging, Tribuo's {@code BaggingTrainer}; below it {@code RandomForestTrainer}).
     */
    static Space<RandomForest> forestGrid() {
        return Space.of(RandomForest.regression().seed(42))
                .ints("trees", RandomForest::trees, 25, 100, 25)
                .ints("max_depth", RandomForest::maxDepth, 4, 14, 2)
                .doubles("min_child_weight", RandomForest::minChildWeight, 1, 10, 3)
                .doubles("feature_fraction", RandomForest::featureFraction, 0.4, 1.0, 0.2);
    }

    /** Cheap trials (small forests, tens of milliseconds a fold) for the timing experiments. */
    static Space<RandomForest> cheap() {
        return Space.of(RandomForest.regression().seed(42))
                .ints("trees", RandomForest::trees, 5, 20)
                .ints("max_depth", RandomForest::maxDepth, 3, 12)
                .doubles("feature_fraction", RandomForest::featureFraction, 0.3, 1.0);
    }

    /**
     * The house prices as the sample reads them, column B dropped. The sample's pipeline also imputes medians
     * and standardizes; the file has no missing value and a tree's splits do not change under standardization,
     * so the trials see the same objective on these ready rows.
     */
    static TrainingSet houses() {
        Dataset d = Csv.file(BenchmarkData.boston()).skipLines(1).load();
        return new TrainingSet(d.drop("B", "MEDV"), Target.of(d, "MEDV", Task.REGRESSION));
    }

    static String key(RandomForest f) {
        return String.format(Locale.ROOT, "%d|%d|%.4f|%.4f", f.trees(), f.maxDepth(), f.minChildWeight(), f.featureFraction());
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1. The grid table, and samplers replayed against it

    /** One configuration's folds: RMSE and fitting seconds per fold. */
    record Row(String key, double[] rmse, double[] seconds) {
        double mean() {
            return Arrays.stream(rmse).average().orElseThrow();
        }
    }

    static void table(Path file, int workers) throws IOException {
        Space<RandomForest> space = forestGrid();
        Map<String, Row> rows = new ConcurrentHashMap<>();
        Validator real = Validator.onReadyRows();
        Validator recording = new Validator() {
            @Override
            public CrossValidation crossValidate(Trainer candidate, TrainingSet train, Split.KFold folds, FoldListener listener) {
                List<Double> rmse = new ArrayList<>();
                List<Double> secs = new ArrayList<>();
                long[] t0 = {System.nanoTime()};
                CrossValidation cv = real.crossValidate(candidate, train, folds, (fold, e) -> {
                    long now = System.nanoTime();
                    secs.add((now - t0[0]) / 1e9);
                    rmse.add(e.get("rmse"));
                    boolean go = listener.fold(fold, e);
                    t0[0] = System.nanoTime();
                    return go;
                });
                rows.put(key((RandomForest) candidate), new Row(key((RandomForest) candidate),
                        rmse.stream().mapToDouble(Double::doubleValue).toArray(), secs.stream().mapToDouble(Double::doubleValue).toArray()));
                return cv;
            }

            @Override
            public Evaluation holdout(Trainer candidate, TrainingSet train, Split.TrainTest split) {
                return real.holdout(candidate, train, split);
            }
        };
        long start = System.nanoTime();
        StudyResult r = Tune.grid(space).crossValidate(3).parallelism(workers)
                .run(houses(), TrainContext.defaults().withValidator(recording));
        double wall = (System.nanoTime() - start) / 1e9;
        if (r.count(TrialState.COMPLETE) != r.trials().size()) {
            throw new IllegalStateException("the grid had trials that did not complete: " + r);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        List<String> lines = new ArrayList<>();
        lines.add("trees,max_depth,min_child_weight,feature_fraction,rmse_fold1,rmse_fold2,rmse_fold3,cv_rmse,s_fold1,s_fold2,s_fold3");
        rows.values().stream().sorted(Comparator.comparing(Row::mean)).forEach(row -> {
            StringBuilder b = new StringBuilder(row.key().replace('|', ','));
            for (double v : row.rmse()) {
                b.append(',').append(v);
            }
            b.append(',').append(row.mean());
            for (double v : row.seconds()) {
                b.append(',').append(String.format(Locale.ROOT, "%.4f", v));
            }
            lines.add(b.toString());
        });
        Files.write(file, lines, StandardCharsets.UTF_8);
        double fitting = rows.values().stream().flatMapToDouble(x -> Arrays.stream(x.seconds())).sum();
        Row best = rows.values().stream().min(Comparator.comparing(Row::mean)).orElseThrow();
        System.out.printf(Locale.ROOT, "grid: %d configurations × 3 folds on %d workers in %.1f s wall (%.1f s of fitting);"
                        + " best cv_rmse %.4f at %s; worst %.4f; table %s%n", rows.size(), workers, wall, fitting, best.mean(),
                best.key(), rows.values().stream().mapToDouble(Row::mean).max().orElseThrow(), file);
    }

    /** A table of every grid configuration's folds. */
    record Table(Map<String, Row> rows) {
        static Table read(Path file) throws IOException {
            Map<String, Row> rows = new LinkedHashMap<>();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines.subList(1, lines.size())) {
                String[] p = line.split(",");
                RandomForest f = RandomForest.regression().seed(42).trees(Integer.parseInt(p[0])).maxDepth(Integer.parseInt(p[1]))
                        .minChildWeight(Double.parseDouble(p[2])).featureFraction(Double.parseDouble(p[3]));
                double[] rmse = {Double.parseDouble(p[4]), Double.parseDouble(p[5]), Double.parseDouble(p[6])};
                double[] secs = {Double.parseDouble(p[8]), Double.parseDouble(p[9]), Double.parseDouble(p[10])};
                rows.put(key(f), new Row(key(f), rmse, secs));
            }
            return new Table(rows);
        }

        double best() {
            return rows.values().stream().mapToDouble(Row::mean).min().orElseThrow();
        }

        Row row(RandomForest f) {
            Row r = rows.get(key(f));
            if (r == null) {
                throw new IllegalStateException("configuration " + key(f) + " is not in the table: rebuild it with `table`");
            }
            return r;
        }

        /** A validator that answers from the table; it adds every fold it hands out to {@code spent}. */
        Validator replay(double[] spent) {
            return new Validator() {
                @Override
                public CrossValidation crossValidate(Trainer candidate, TrainingSet train, Split.KFold folds, FoldListener listener) {
                    Row r = row((RandomForest) candidate);
                    if (folds.k() != r.rmse().length) {
                        throw new IllegalStateException("the table has " + r.rmse().length + " folds, the study asks for " + folds.k());
                    }
                    List<Evaluation> scored = new ArrayList<>();
                    for (int i = 0; i < r.rmse().length; i++) {
                        Evaluation e = new Fixed(r.rmse()[i]);
                        scored.add(e);
                        synchronized (spent) {
                            spent[0] += r.seconds()[i];
                            spent[1] += 1;
                        }
                        if (!listener.fold(i + 1, e)) {
                            break;
                        }
                    }
                    return CrossValidation.of(scored);
                }

                @Override
                public Evaluation holdout(Trainer candidate, TrainingSet train, Split.TrainTest split) {
                    throw new UnsupportedOperationException("the table holds folds only");
                }
            };
        }
    }

    /** Thrown from a replay's trial listener to end the study at the first trial within the threshold. */
    static final class Reached extends RuntimeException {
        Reached() {
            super("reached", null, false, false);
        }
    }

    /** One fold's RMSE, as the table recorded it. */
    record Fixed(double rmse) implements Evaluation {
        @Override
        public Task task() {
            return Task.REGRESSION;
        }

        @Override
        public long n() {
            return 1;
        }

        @Override
        public Map<String, Double> values() {
            return Map.of("rmse", rmse);
        }
    }

    /** @return the number of the first trial whose objective is within the threshold, or -1 */
    static int firstWithin(StudyResult r, double threshold) {
        return r.trials().stream().filter(t -> t.state() == TrialState.COMPLETE && t.value() <= threshold)
                .mapToInt(Trial::number).min().orElse(-1);
    }

    static void samplers(Path file, int seeds) throws IOException {
        Table table = Table.read(file);
        Space<RandomForest> space = forestGrid();
        TrainingSet houses = houses();
        int grid = table.rows().size();
        double best = table.best();
        double threshold = best * (1 + WITHIN);
        long near = table.rows().values().stream().filter(r -> r.mean() <= threshold).count();
        double p = near / (double) grid;
        System.out.printf(Locale.ROOT, "table: %d configurations, best cv_rmse %.4f, threshold %.4f (+%.0f %%): %d configurations"
                        + " (%.1f %%) are within it; a uniform draw with replacement needs a median of %d trials%n",
                grid, best, threshold, WITHIN * 100, near, 100 * p, (int) Math.ceil(Math.log(0.5) / Math.log(1 - p)));

        double[] spent = new double[2];
        StudyResult g = Tune.grid(space).parallelism(1).run(houses, TrainContext.defaults().withValidator(table.replay(spent)));
        System.out.printf(Locale.ROOT, "grid (in the space's order): %d trials in all; first within 2 %% at trial %d%n",
                g.trials().size(), firstWithin(g, threshold));

        int cap = 2 * grid;
        Map<String, Sampler> samplers = new LinkedHashMap<>();
        samplers.put("random", Samplers.random());
        samplers.put("tpe", Samplers.tpe());
        samplers.put("tpe_multivariate", Samplers.tpe().multivariate());
        Map<String, int[]> hits = new LinkedHashMap<>();
        Map<String, int[]> distinct = new LinkedHashMap<>();
        for (Map.Entry<String, Sampler> s : samplers.entrySet()) {
            int[] h = new int[seeds];
            int[] d = new int[seeds];
            for (int seed = 0; seed < seeds; seed++) {
                // one worker: trials end in number order, so the first within the threshold ends the replay
                java.util.Set<Map<String, Object>> seen = new java.util.HashSet<>();
                int[] hit = {-1};
                try {
                    Tune.study(space, s.getValue()).trials(cap).parallelism(1).seed(seed)
                            .onTrial(t -> {
                                seen.add(t.params());
                                if (t.state() == TrialState.COMPLETE && t.value() <= threshold) {
                                    hit[0] = t.number();
                                    throw new Reached();
                                }
                            })
                            .run(houses, TrainContext.defaults().withValidator(table.replay(spent)));
                } catch (Reached expected) {
                    // the study stops at the trial that came within the threshold
                }
                h[seed] = hit[0];
                d[seed] = seen.size();
            }
            hits.put(s.getKey(), h);
            distinct.put(s.getKey(), d);
        }
        System.out.println();
        System.out.print("| seed |");
        samplers.keySet().forEach(n -> System.out.print(" " + n + " trials (distinct) |"));
        System.out.println();
        System.out.println("|---|" + "---|".repeat(samplers.size()));
        for (int seed = 0; seed < seeds; seed++) {
            System.out.print("| " + seed + " |");
            for (String n : samplers.keySet()) {
                int h = hits.get(n)[seed];
                System.out.print(" " + (h < 0 ? "> " + cap : Integer.toString(h)) + " (" + distinct.get(n)[seed] + ") |");
            }
            System.out.println();
        }
        System.out.print("| **median** |");
        for (String n : samplers.keySet()) {
            System.out.printf(Locale.ROOT, " **%s** (%s) |", fmt(median(hits.get(n), cap)), fmt(median(distinct.get(n), cap)));
        }
        System.out.println();
        for (String n : samplers.keySet()) {
            double m = median(hits.get(n), cap);
            System.out.printf(Locale.ROOT, "%s: median %s trials = %.1f %% of the grid's %d; mean %.1f; worst %d%n", n, fmt(m), 100 * m / grid,
                    grid, Arrays.stream(hits.get(n)).map(x -> x < 0 ? cap : x).average().orElseThrow(),
                    Arrays.stream(hits.get(n)).map(x -> x < 0 ? cap : x).max().orElseThrow());
        }
    }

    static double median(int[] values, int missing) {
        int[] v = Arrays.stream(values).map(x -> x < 0 ? missing : x).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3. Pruning

    static void pruningReplay(Path file, int seeds, int trials) throws IOException {
        Table table = Table.read(file);
        Space<RandomForest> space = forestGrid();
        TrainingSet houses = houses();
        System.out.printf(Locale.ROOT, "pruning replayed on the table: %d trials, 3-fold, one worker, seeds 0..%d; fitting time is what"
                + " the table measured for each fold fitted%n%n", trials, seeds - 1);
        System.out.println("| sampler | pruner | best cv_rmse, median over seeds | seeds whose best equals no pruning's | seeds whose best"
                + " is as good or better | worst loss against no pruning | folds fitted (median) | fitting s (median) |"
                + " fitting time saved (median) | pruned trials (median) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String sampler : List.of("tpe", "random")) {
            double[][] none = null;
            for (Pruner pruner : List.of(Pruners.none(), Pruners.median(), Pruners.successiveHalving())) {
                double[][] out = new double[4][seeds]; // best, folds, seconds, pruned
                for (int seed = 0; seed < seeds; seed++) {
                    double[] spent = new double[2];
                    Study<RandomForest> s = (sampler.equals("tpe") ? Tune.tpe(space) : Tune.random(space)).trials(trials)
                            .crossValidate(3).pruner(pruner).parallelism(1).seed(seed);
                    StudyResult r = s.run(houses, TrainContext.defaults().withValidator(table.replay(spent)));
                    out[0][seed] = r.best().value();
                    out[1][seed] = spent[1];
                    out[2][seed] = spent[0];
                    out[3][seed] = r.count(TrialState.PRUNED);
                }
                if (none == null) {
                    none = out;
                }
                int equal = 0;
                int asGood = 0;
                double worst = 0;
                double[] saved = new double[seeds];
                for (int seed = 0; seed < seeds; seed++) {
                    equal += out[0][seed] == none[0][seed] ? 1 : 0;
                    asGood += out[0][seed] <= none[0][seed] ? 1 : 0;
                    worst = Math.max(worst, out[0][seed] / none[0][seed] - 1);
                    saved[seed] = 1 - out[2][seed] / none[2][seed];
                }
                System.out.printf(Locale.ROOT, "| %s | %s | %.4f | %d of %d | %d of %d | +%.1f %% | %s | %.1f | %.0f %% | %s |%n", sampler,
                        pruner.name(), med(out[0]), equal, seeds, asGood, seeds, 100 * worst, fmt(med(out[1])), med(out[2]),
                        100 * med(saved), fmt(med(out[3])));
            }
        }
    }

    static double med(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }

    static void pruning(Path file, int seeds, int trials) throws IOException {
        Space<RandomForest> space = forestGrid();
        TrainingSet houses = houses();
        Table table = Files.exists(file) ? Table.read(file) : null;
        warmUp(houses);
        System.out.printf(Locale.ROOT, "pruning with real fits: TPE, %d trials, 3-fold, one worker%n%n", trials);
        System.out.println("| seed | pruner | wall s | best cv_rmse | pruned trials | folds fitted | the same study replayed on the table |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int seed = 0; seed < seeds; seed++) {
            List<Pruner> order = seed % 2 == 0 ? List.of(Pruners.none(), Pruners.median()) : List.of(Pruners.median(), Pruners.none());
            for (Pruner pruner : order) {
                long start = System.nanoTime();
                StudyResult r = Tune.tpe(space).trials(trials).crossValidate(3).pruner(pruner).parallelism(1).seed(seed)
                        .run(houses, TrainContext.defaults());
                double wall = (System.nanoTime() - start) / 1e9;
                int folds = r.trials().stream().mapToInt(t -> t.intermediate().size()).sum();
                String replayed = "—";
                if (table != null) {
                    // the same study on the table: the objective is deterministic, so it must run the same trials
                    StudyResult again = Tune.tpe(space).trials(trials).crossValidate(3).pruner(pruner).parallelism(1).seed(seed)
                            .run(houses, TrainContext.defaults().withValidator(table.replay(new double[2])));
                    replayed = again.trials().equals(r.trials()) ? "identical trials" : "DIFFERENT: " + again.best();
                }
                System.out.printf(Locale.ROOT, "| %d | %s | %.1f | %.4f | %d | %d | %s |%n", seed, pruner.name(), wall, r.best().value(),
                        r.count(TrialState.PRUNED), folds, replayed);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2. Parallel workers

    static void warmUp(TrainingSet houses) {
        Tune.random(cheap()).trials(12).parallelism(2).seed(1000).run(houses, TrainContext.defaults());
    }

    static void parallel(int trials, int rounds) {
        TrainingSet houses = houses();
        warmUp(houses);
        System.out.printf(Locale.ROOT, "parallel: random search, %d trials of small forests (5-20 trees), 3-fold, seed 7;"
                + " the same %d configurations whatever the workers (a trial's draw depends on its number only)%n%n", trials, trials);
        System.out.println("| round | 1 worker s | 2 workers s | speed-up |");
        System.out.println("|---|---|---|---|");
        double[] one = new double[rounds];
        double[] two = new double[rounds];
        List<Double> reference = null;
        for (int round = 0; round < rounds; round++) {
            for (int w : round % 2 == 0 ? new int[] {1, 2} : new int[] {2, 1}) {
                long start = System.nanoTime();
                StudyResult r = Tune.random(cheap()).trials(trials).parallelism(w).seed(7).run(houses, TrainContext.defaults());
                double wall = (System.nanoTime() - start) / 1e9;
                List<Double> values = r.trials().stream().map(Trial::value).sorted().toList();
                if (reference == null) {
                    reference = values;
                } else if (!reference.equals(values)) {
                    throw new IllegalStateException("the studies did not run the same trials: " + values + " vs " + reference);
                }
                (w == 1 ? one : two)[round] = wall;
            }
            System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.2f× |%n", round + 1, one[round], two[round], one[round] / two[round]);
        }
        System.out.printf(Locale.ROOT, "| **median** | **%.2f** | **%.2f** | **%.2f×** |%n", med(one), med(two), med(one) / med(two));
    }

    // ---------------------------------------------------------------------------------------------------------
    // 4. Two JVMs sharing one study on PostgreSQL

    static void share(String url, int trials, int rounds) throws Exception {
        String tag = Long.toHexString(new Random().nextLong() & 0xffffffffL);
        String schema = "tune_bench_" + tag;
        Path artifacts = Files.createTempDirectory("tune-bench-artifacts");
        try (JdbcTrackingStore migrate = PostgresTrackingStore.builder(url).schema(schema).artifactRoot(artifacts).poolSize(2).open()) {
            // the schema exists before the children race to it
        }
        System.out.printf(Locale.ROOT, "share: random search, %d trials of small forests (5-20 trees), 3-fold, seed 7;"
                + " PostgreSQL schema %s; each JVM warms up on 12 local trials before the clock starts; %d rounds of the"
                + " four settings, a new study each time%n%n", trials, schema, rounds);
        record Phase(String label, String where, int jvms, int workers) {
        }
        List<Phase> phases = List.of(new Phase("one JVM, study in memory", "memory", 1, 1),
                new Phase("one JVM, study on PostgreSQL", "pg", 1, 1),
                new Phase("two JVMs sharing the study on PostgreSQL", "pg", 2, 1),
                new Phase("one JVM, two workers, study on PostgreSQL", "pg", 1, 2));
        double[][] walls = new double[phases.size()][rounds];
        String[] split = new String[phases.size()];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < phases.size(); i++) {
                Phase ph = phases.get(i);
                int[] per = runShared(url, schema, artifacts, "bench-" + tag + "-" + round + "-" + ph.jvms() + "x" + ph.workers() + "-"
                        + ph.where(), trials, ph.where(), ph.jvms(), ph.workers(), walls[i], round);
                split[i] = (split[i] == null ? "" : split[i] + " ") + Arrays.toString(per);
            }
        }
        System.out.println("| setting | JVMs × workers | wall s per round (GO to last END) | trials per minute (median) |"
                + " vs one JVM on PostgreSQL | trials per JVM |");
        System.out.println("|---|---|---|---|---|---|");
        double base = 60 * trials / med(walls[1]);
        for (int i = 0; i < phases.size(); i++) {
            Phase ph = phases.get(i);
            double perMinute = 60 * trials / med(walls[i]);
            StringBuilder w = new StringBuilder();
            for (double x : walls[i]) {
                w.append(w.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", x));
            }
            System.out.printf(Locale.ROOT, "| %s | %d × %d | %s | %.0f | %.2f× | %s |%n", ph.label(), ph.jvms(), ph.workers(), w,
                    perMinute, perMinute / base, split[i]);
        }
        System.out.println("(schema " + schema + " left in the database for inspection; drop it with DROP SCHEMA " + schema + " CASCADE)");
    }

    /** Runs one shared study in {@code jvms} child JVMs; records the wall time from GO to the last END. */
    private static int[] runShared(String url, String schema, Path artifacts, String name, int trials, String where, int jvms,
                                   int workers, double[] walls, int round) throws Exception {
        List<Process> children = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        for (int i = 0; i < jvms; i++) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", System.getProperty("java.class.path"), TuningBench.class.getName(), "share-child", where, url, schema,
                    name, Integer.toString(trials), Integer.toString(workers), artifacts.toString());
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            children.add(p);
            outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }
        for (BufferedReader r : outs) {
            String line = r.readLine();
            if (!"READY".equals(line)) {
                throw new IllegalStateException("a child said " + line + " instead of READY");
            }
        }
        long start = System.nanoTime();
        for (Process p : children) {
            PrintStream in = new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8);
            in.println("GO");
        }
        int[] per = new int[jvms];
        for (int i = 0; i < outs.size(); i++) {
            String line;
            while ((line = outs.get(i).readLine()) != null && line.startsWith("TRIAL ")) {
                per[i]++;
            }
            if (line == null || !line.startsWith("END ")) {
                throw new IllegalStateException("child " + i + " ended with " + line);
            }
        }
        walls[round] = (System.nanoTime() - start) / 1e9;
        for (Process p : children) {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("a child did not exit cleanly");
            }
        }
        int total = Arrays.stream(per).sum();
        if (total != trials) {
            throw new IllegalStateException("the JVMs ran " + total + " trials, not " + trials + ": " + Arrays.toString(per));
        }
        return per;
    }

    /** share-child WHERE URL SCHEMA NAME TRIALS WORKERS ARTIFACTS: prints READY, waits for GO, runs, prints TRIAL … and END. */
    static void shareChild(String[] a) throws Exception {
        String where = a[1];
        String url = a[2];
        String schema = a[3];
        String name = a[4];
        int trials = Integer.parseInt(a[5]);
        int workers = Integer.parseInt(a[6]);
        Path artifacts = Path.of(a[7]);
        TrainingSet houses = houses();
        warmUp(houses);
        Tracker tracker = where.equals("pg")
                ? Tracker.builder().store(PostgresTrackingStore.builder(url).schema(schema).artifactRoot(artifacts).poolSize(2).open()).build()
                : null;
        try {
            Study<RandomForest> study = Tune.random(cheap()).trials(trials).parallelism(workers).seed(7)
                    .onTrial(t -> {
                        synchronized (System.out) {
                            System.out.println("TRIAL " + t.number() + " " + t.state());
                            System.out.flush();
                        }
                    });
            if (tracker != null) {
                study = study.storage(StudyStorage.of(tracker, name));
            }
            System.out.println("READY");
            System.out.flush();
            String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!"GO".equals(go)) {
                throw new IllegalStateException("expected GO but read " + go);
            }
            StudyResult r = study.run(houses, TrainContext.defaults());
            System.out.println("END " + r.trials().size());
            System.out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tracker != null) {
                tracker.close();
            }
        }
    }
}
