package org.mlops4j.core.evaluate;

import org.mlops4j.core.Task;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Classification metrics: accuracy, macro-averaged F1 (an unweighted mean over classes; a class never
 * predicted and never true is left out) and the confusion matrix.
 * {@snippet :
 * ClassificationMetrics m = ClassificationMetrics.of(new String[] {"a", "b", "b"}, new String[] {"a", "b", "a"});
 * m.accuracy();            // 0.666...
 * m.confusion().count("b", "a"); // 1: one true b predicted as a
 * }
 *
 * @param n         rows evaluated
 * @param accuracy  share of rows predicted right
 * @param macroF1   mean F1 over classes
 * @param confusion counts of true (rows) against predicted (columns) classes
 */
public record ClassificationMetrics(long n, double accuracy, double macroF1, ConfusionMatrix confusion) implements Evaluation {

    /**
     * @param truth     true classes
     * @param predicted predicted classes, same length
     * @return the metrics
     */
    public static ClassificationMetrics of(String[] truth, String[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth has " + truth.length + " values but predictions have " + predicted.length);
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("cannot evaluate on 0 rows");
        }
        TreeSet<String> labels = new TreeSet<>();
        for (int i = 0; i < truth.length; i++) {
            labels.add(truth[i]);
            labels.add(predicted[i]);
        }
        List<String> order = List.copyOf(labels);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            index.put(order.get(i), i);
        }
        long[][] counts = new long[order.size()][order.size()];
        long right = 0;
        for (int i = 0; i < truth.length; i++) {
            counts[index.get(truth[i])][index.get(predicted[i])]++;
            if (truth[i].equals(predicted[i])) {
                right++;
            }
        }
        double f1Sum = 0;
        int classes = 0;
        for (int k = 0; k < order.size(); k++) {
            long tp = counts[k][k];
            long fp = 0;
            long fn = 0;
            for (int j = 0; j < order.size(); j++) {
                if (j != k) {
                    fp += counts[j][k];
                    fn += counts[k][j];
                }
            }
            if (tp + fp + fn == 0) {
                continue;
            }
            f1Sum += 2.0 * tp / (2.0 * tp + fp + fn);
            classes++;
        }
        List<List<Long>> rows = new ArrayList<>();
        for (long[] row : counts) {
            List<Long> r = new ArrayList<>(row.length);
            for (long c : row) {
                r.add(c);
            }
            rows.add(r);
        }
        return new ClassificationMetrics(truth.length, (double) right / truth.length, f1Sum / classes,
                new ConfusionMatrix(order, rows));
    }

    @Override
    public Task task() {
        return Task.CLASSIFICATION;
    }

    @Override
    public Map<String, Double> values() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy);
        m.put("macro_f1", macroF1);
        return m;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ClassificationMetrics[n=%d, accuracy=%.4f, macroF1=%.4f, classes=%s]",
                n, accuracy, macroF1, confusion.labels());
    }

    /**
     * Counts of true against predicted classes.
     *
     * @param labels classes in row/column order
     * @param counts {@code counts.get(t).get(p)}: rows of true class t predicted as p
     */
    public record ConfusionMatrix(List<String> labels, List<List<Long>> counts) {

        /** Copies the lists. */
        public ConfusionMatrix {
            labels = List.copyOf(labels);
            counts = counts.stream().map(List::copyOf).toList();
        }

        /**
         * @param trueLabel      the true class
         * @param predictedLabel the predicted class
         * @return how many rows of {@code trueLabel} were predicted as {@code predictedLabel}
         */
        public long count(String trueLabel, String predictedLabel) {
            int t = labels.indexOf(trueLabel);
            int p = labels.indexOf(predictedLabel);
            return t < 0 || p < 0 ? 0 : counts.get(t).get(p);
        }

        /** @return the matrix as a text table, true classes down, predicted across */
        public String table() {
            int w = 6;
            for (String l : labels) {
                w = Math.max(w, l.length());
            }
            for (List<Long> row : counts) {
                for (Long c : row) {
                    w = Math.max(w, Long.toString(c).length());
                }
            }
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%" + w + "s", "true\\pred"));
            for (String l : labels) {
                sb.append(' ').append(String.format(Locale.ROOT, "%" + w + "s", l));
            }
            sb.append('\n');
            for (int i = 0; i < labels.size(); i++) {
                sb.append(String.format(Locale.ROOT, "%" + w + "s", labels.get(i)));
                for (Long c : counts.get(i)) {
                    sb.append(' ').append(String.format(Locale.ROOT, "%" + w + "d", c));
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }
}
