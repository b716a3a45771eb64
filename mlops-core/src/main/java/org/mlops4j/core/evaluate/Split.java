package org.mlops4j.core.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How rows are divided for training and evaluation: a seeded train/test split or seeded k-fold
 * cross-validation, each optionally stratified by the class label. The same seed on the same number of
 * rows gives the same division on every JVM ({@link java.util.Random}'s algorithm is specified).
 * {@snippet :
 * Split.trainTest(0.8).seed(42);             // 80 % train, 20 % test
 * Split.kFold(5).seed(42);                   // 5 folds
 * Split.trainTest(0.8).seed(7).stratified(); // keep class proportions (classification)
 * }
 */
public sealed interface Split permits Split.TrainTest, Split.KFold {

    /** Seed used when none is given. */
    long DEFAULT_SEED = 42L;

    /**
     * @param trainFraction share of rows for training, strictly between 0 and 1
     * @return a train/test split with the default seed
     */
    static TrainTest trainTest(double trainFraction) {
        return new TrainTest(trainFraction, DEFAULT_SEED, false);
    }

    /**
     * @param k number of folds, at least 2
     * @return a k-fold split with the default seed
     */
    static KFold kFold(int k) {
        return new KFold(k, DEFAULT_SEED, false);
    }

    /**
     * @param rows   number of rows
     * @param strata class of each row for stratification, or null
     * @return the folds: one for a train/test split, k for k-fold
     */
    List<Fold> folds(int rows, String[] strata);

    /** @return whether the split keeps class proportions */
    boolean stratify();

    /**
     * Row indices of one division.
     *
     * @param train training rows, ascending
     * @param test  evaluation rows, ascending
     */
    record Fold(int[] train, int[] test) {
        /** Copies the arrays. */
        public Fold {
            train = train.clone();
            test = test.clone();
        }

        @Override
        public int[] train() {
            return train.clone();
        }

        @Override
        public int[] test() {
            return test.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Fold f && Arrays.equals(f.train, train) && Arrays.equals(f.test, test);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(train) + Arrays.hashCode(test);
        }

        @Override
        public String toString() {
            return "Fold[train=" + train.length + " rows, test=" + test.length + " rows]";
        }
    }

    /**
     * A seeded train/test split.
     *
     * @param trainFraction share of rows for training, in (0, 1)
     * @param seed          shuffle seed
     * @param stratify      whether class proportions are kept
     */
    record TrainTest(double trainFraction, long seed, boolean stratify) implements Split {

        /** Validates the fraction. */
        public TrainTest {
            if (!(trainFraction > 0 && trainFraction < 1)) {
                throw new IllegalArgumentException("trainFraction must be > 0 and < 1 but was " + trainFraction);
            }
        }

        /**
         * @param s shuffle seed
         * @return this split with that seed
         */
        public TrainTest seed(long s) {
            return new TrainTest(trainFraction, s, stratify);
        }

        /** @return this split, keeping class proportions (classification only) */
        public TrainTest stratified() {
            return new TrainTest(trainFraction, seed, true);
        }

        @Override
        public List<Fold> folds(int rows, String[] strata) {
            Random rnd = new Random(seed);
            List<int[]> groups = groups(rows, stratify ? strata : null);
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int[] g : groups) {
                shuffle(g, rnd);
                int nTrain = (int) Math.round(g.length * trainFraction);
                for (int i = 0; i < g.length; i++) {
                    (i < nTrain ? train : test).add(g[i]);
                }
            }
            if (train.isEmpty() || test.isEmpty()) {
                throw new IllegalArgumentException("a train fraction of " + trainFraction + " on " + rows
                        + " rows leaves " + train.size() + " training and " + test.size() + " test rows; both need at least one");
            }
            return List.of(new Fold(sorted(train), sorted(test)));
        }
    }

    /**
     * Seeded k-fold cross-validation: rows are shuffled, then cut into k folds whose sizes differ by at
     * most one; each fold is the test set once.
     *
     * @param k          number of folds, at least 2
     * @param seed       shuffle seed
     * @param stratify   whether class proportions are kept in each fold
     */
    record KFold(int k, long seed, boolean stratify) implements Split {

        /** Validates k. */
        public KFold {
            if (k < 2) {
                throw new IllegalArgumentException("k-fold needs k >= 2 but k was " + k);
            }
        }

        /**
         * @param s shuffle seed
         * @return this split with that seed
         */
        public KFold seed(long s) {
            return new KFold(k, s, stratify);
        }

        /** @return this split, keeping class proportions in each fold (classification only) */
        public KFold stratified() {
            return new KFold(k, seed, true);
        }

        /**
         * Salt for the shuffle, so that k-fold and a train/test split with the same seed shuffle differently:
         * otherwise the last fold would be exactly the holdout split of {@code trainTest(1 - 1/k)}.
         */
        private static final long SALT = 0x9E3779B97F4A7C15L;

        @Override
        public List<Fold> folds(int rows, String[] strata) {
            if (k > rows) {
                throw new IllegalArgumentException(k + "-fold cross-validation needs at least " + k + " rows but there are " + rows);
            }
            Random rnd = new Random(seed ^ SALT);
            int[] order = new int[rows];
            int pos = 0;
            // Stratified: shuffle within each class, then deal classes out in turn so each fold gets its share.
            for (int[] g : groups(rows, stratify ? strata : null)) {
                shuffle(g, rnd);
                System.arraycopy(g, 0, order, pos, g.length);
                pos += g.length;
            }
            int[] foldOf = new int[rows];
            if (stratify && strata != null) {
                for (int i = 0; i < rows; i++) {
                    foldOf[order[i]] = i % k;
                }
            } else {
                int base = rows / k;
                int extra = rows % k;
                int i = 0;
                for (int f = 0; f < k; f++) {
                    int size = base + (f < extra ? 1 : 0);
                    for (int j = 0; j < size; j++) {
                        foldOf[order[i++]] = f;
                    }
                }
            }
            List<Fold> folds = new ArrayList<>(k);
            for (int f = 0; f < k; f++) {
                List<Integer> train = new ArrayList<>();
                List<Integer> test = new ArrayList<>();
                for (int r = 0; r < rows; r++) {
                    (foldOf[r] == f ? test : train).add(r);
                }
                folds.add(new Fold(sorted(train), sorted(test)));
            }
            return List.copyOf(folds);
        }
    }

    private static List<int[]> groups(int rows, String[] strata) {
        if (strata == null) {
            int[] all = new int[rows];
            for (int i = 0; i < rows; i++) {
                all[i] = i;
            }
            return List.of(all);
        }
        Map<String, List<Integer>> byClass = new LinkedHashMap<>();
        for (int i = 0; i < rows; i++) {
            byClass.computeIfAbsent(strata[i], x -> new ArrayList<>()).add(i);
        }
        List<int[]> out = new ArrayList<>();
        byClass.keySet().stream().sorted().forEach(c -> out.add(byClass.get(c).stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int[] sorted(List<Integer> list) {
        int[] a = list.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(a);
        return a;
    }
}
