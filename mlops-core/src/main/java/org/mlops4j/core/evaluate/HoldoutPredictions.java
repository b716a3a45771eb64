package org.mlops4j.core.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.internal.Json;
import org.mlops4j.core.model.Prediction;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A run's predictions on its holdout rows, kept as {@code evaluation/holdout_predictions.json} so a reproduction
 * can compare them bit for bit (numbers are written in Java's shortest exact decimal form and read back to the
 * same bits).
 * {@snippet :
 * HoldoutPredictions recorded = HoldoutPredictions.fromJson(bytes);
 * recorded.rows();          // the 0-based row of each prediction in the data set
 * recorded.firstDifference(recorded);   // Optional.empty()
 * }
 *
 * @param datasetVersion the data set's version id
 * @param rows           0-based row in the data set of each prediction
 * @param predictions    one prediction per row
 * @param actual         the true value of each row (regression), else empty
 * @param actualLabels   the true class of each row (classification), else empty
 */
public record HoldoutPredictions(String datasetVersion, List<Integer> rows, List<Prediction> predictions, List<Double> actual,
                                 List<String> actualLabels) {
    /** Where a run keeps them. */
    public static final String ARTIFACT = "evaluation/holdout_predictions.json";
    /** The format name. */
    public static final String FORMAT = "mlops4j-holdout-predictions";

    /** Copies; one prediction per row. */
    public HoldoutPredictions {
        Objects.requireNonNull(datasetVersion, "datasetVersion");
        rows = List.copyOf(rows);
        predictions = List.copyOf(predictions);
        if (rows.size() != predictions.size()) {
            throw new IllegalArgumentException(rows.size() + " rows but " + predictions.size() + " predictions");
        }
        actual = List.copyOf(actual);
        actualLabels = java.util.Collections.unmodifiableList(new ArrayList<>(actualLabels));
        if ((!actual.isEmpty() && actual.size() != rows.size()) || (!actualLabels.isEmpty() && actualLabels.size() != rows.size())) {
            throw new IllegalArgumentException("one actual value per row is needed: " + rows.size() + " rows, " + actual.size()
                    + " values, " + actualLabels.size() + " labels");
        }
    }

    /**
     * @param datasetVersion the data set's version id
     * @param rows           0-based rows
     * @param predictions    one per row
     * @return the record
     */
    public static HoldoutPredictions of(String datasetVersion, int[] rows, List<Prediction> predictions) {
        return of(datasetVersion, rows, predictions, null);
    }

    /**
     * @param datasetVersion the data set's version id
     * @param rows           0-based rows
     * @param predictions    one per row
     * @param truth          the true labels of those rows, or null
     * @return the record
     */
    public static HoldoutPredictions of(String datasetVersion, int[] rows, List<Prediction> predictions, org.mlops4j.core.data.Target truth) {
        List<Integer> r = new ArrayList<>(rows.length);
        for (int x : rows) {
            r.add(x);
        }
        List<Double> values = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        if (truth != null) {
            for (int i = 0; i < truth.size(); i++) {
                if (truth.task() == org.mlops4j.core.Task.REGRESSION) {
                    values.add(truth.value(i));
                } else {
                    labels.add(truth.label(i));
                }
            }
        }
        return new HoldoutPredictions(datasetVersion, r, predictions, values, labels);
    }

    /** @return the rows as an array */
    public int[] rowArray() {
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return the JSON form */
    public byte[] toJson() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", 1);
        root.put("datasetVersion", datasetVersion);
        ArrayNode r = root.putArray("rows");
        rows.forEach(r::add);
        ArrayNode p = root.putArray("predictions");
        for (Prediction x : predictions) {
            ObjectNode n = p.addObject();
            n.put("value", x.value());
            if (x.label() != null) {
                n.put("label", x.label());
            }
            if (!x.scores().isEmpty()) {
                ObjectNode s = n.putObject("scores");
                x.scores().forEach(s::put);
            }
        }
        if (!actual.isEmpty()) {
            ArrayNode a = root.putArray("actual");
            actual.forEach(a::add);
        }
        if (!actualLabels.isEmpty()) {
            ArrayNode a = root.putArray("actualLabels");
            actualLabels.forEach(a::add);
        }
        return Json.write(root);
    }

    /**
     * @param json what {@link #toJson()} wrote
     * @return the predictions
     * @throws IllegalArgumentException when it is not that format
     */
    public static HoldoutPredictions fromJson(byte[] json) {
        try {
            JsonNode root = Json.mapper().readTree(json);
            if (root == null || !FORMAT.equals(root.path("format").asText(null))) {
                throw new IllegalArgumentException("holdout predictions: format must be '" + FORMAT + "'");
            }
            List<Integer> rows = new ArrayList<>();
            root.path("rows").forEach(n -> rows.add(n.asInt()));
            List<Prediction> preds = new ArrayList<>();
            for (JsonNode n : root.path("predictions")) {
                Map<String, Double> scores = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.path("scores").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    scores.put(e.getKey(), e.getValue().asDouble());
                }
                preds.add(new Prediction(n.hasNonNull("label") ? n.get("label").asText() : null, n.path("value").asDouble(), scores));
            }
            List<Double> actual = new ArrayList<>();
            root.path("actual").forEach(n -> actual.add(n.asDouble()));
            List<String> labels = new ArrayList<>();
            root.path("actualLabels").forEach(n -> labels.add(n.isNull() ? null : n.asText()));
            return new HoldoutPredictions(root.path("datasetVersion").asText(), rows, preds, actual, labels);
        } catch (IOException e) {
            throw new IllegalArgumentException("holdout predictions are not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * @param now predictions made again
     * @return the first row whose prediction differs in any bit, described, with how many rows differ
     */
    public Optional<String> firstDifference(HoldoutPredictions now) {
        if (!rows.equals(now.rows)) {
            return Optional.of("the holdout rows differ (" + org.mlops4j.core.internal.Names.count(rows.size(), "row") + " recorded, " + now.rows.size() + " now)");
        }
        int differing = 0;
        String first = null;
        for (int i = 0; i < predictions.size(); i++) {
            Prediction a = predictions.get(i);
            Prediction b = now.predictions.get(i);
            boolean same = Double.doubleToLongBits(a.value()) == Double.doubleToLongBits(b.value())
                    && Objects.equals(a.label(), b.label()) && sameScores(a.scores(), b.scores());
            if (!same) {
                differing++;
                if (first == null) {
                    first = "row " + rows.get(i) + ": " + describe(a) + " recorded, " + describe(b) + " now";
                }
            }
        }
        return first == null ? Optional.empty() : Optional.of(differing + " of " + predictions.size() + " predictions differ; first " + first);
    }

    private static boolean sameScores(Map<String, Double> a, Map<String, Double> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Double> e : a.entrySet()) {
            if (Double.doubleToLongBits(e.getValue()) != Double.doubleToLongBits(b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Prediction p) {
        return p.label() != null ? p.label() + " (" + p.value() + ")" : Double.toString(p.value());
    }
}
