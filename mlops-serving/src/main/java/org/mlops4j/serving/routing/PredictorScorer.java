package org.mlops4j.serving.routing;

import org.mlops4j.core.Task;
import org.mlops4j.core.data.InvalidDataException;
import org.mlops4j.core.data.SchemaMismatchException;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.serving.protocol.Batch;
import org.mlops4j.serving.protocol.InputLayout;
import org.mlops4j.serving.protocol.RequestException;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A batch in the predictor's own input order with numeric columns only goes through the primitive entry points
 * ({@link Predictor#predictValues(double[])}, {@link Predictor#predictBatch(double[])}: NaN is missing, as in the
 * maps); any other becomes a map view per row (no copy) through {@link Predictor#predict(List)}. Both apply the
 * fitted chain and the model exactly as in-process callers get them, and both check the bundle's input contract
 * (its expectations): a batch that breaks it is refused, a 400 naming the column, never silently scored.
 */
final class PredictorScorer implements Scorer {
    private final Predictor predictor;
    private final boolean classification;

    private final List<String> inputs;

    PredictorScorer(Predictor predictor) {
        this.predictor = predictor.expectations().isPresent() ? predictor.onViolation(Predictor.OnViolation.REJECT) : predictor;
        this.classification = predictor.task() == Task.CLASSIFICATION;
        this.inputs = predictor.inputSchema().names();
    }

    @Override
    public Scores score(Batch batch) {
        if (batch.layout().allNumeric() && batch.layout().names().equals(inputs)) {
            return primitive(batch);
        }
        List<Map<String, ?>> rows = new ArrayList<>(batch.rows());
        for (int r = 0; r < batch.rows(); r++) {
            rows.add(new RowView(batch, r));
        }
        List<Prediction> out;
        try {
            out = predictor.predict(rows);
        } catch (InvalidDataException e) {
            throw RequestException.badRequest(e.column().orElse("body"), e.getMessage());
        } catch (SchemaMismatchException e) {
            throw RequestException.badRequest("body", e.getMessage());
        }
        double[] values = new double[out.size()];
        String[] labels = classification ? new String[out.size()] : null;
        for (int i = 0; i < values.length; i++) {
            values[i] = out.get(i).value();
            if (labels != null) {
                labels[i] = out.get(i).label();
            }
        }
        return new Scores(values, labels);
    }

    private Scores primitive(Batch batch) {
        try {
            if (!classification) {
                return new Scores(predictor.predictValues(batch.values()), null);
            }
            List<Prediction> out = predictor.predictBatch(batch.values());
            double[] values = new double[out.size()];
            String[] labels = new String[out.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = out.get(i).value();
                labels[i] = out.get(i).label();
            }
            return new Scores(values, labels);
        } catch (InvalidDataException e) {
            throw RequestException.badRequest(e.column().orElse("body"), e.getMessage());
        }
    }

    /** One row of a batch as a map of its present values (a missing value is left out, as the Predictor expects). */
    private static final class RowView extends AbstractMap<String, Object> {
        private final Batch batch;
        private final int row;

        RowView(Batch batch, int row) {
            this.batch = batch;
            this.row = row;
        }

        private Object at(int c) {
            InputLayout l = batch.layout();
            if (l.isNumeric(c)) {
                double v = batch.value(row, c);
                return Double.isNaN(v) ? null : v;
            }
            return batch.category(row, c);
        }

        @Override
        public Object get(Object key) {
            int c = key instanceof String s ? batch.layout().index(s) : -1;
            return c < 0 ? null : at(c);
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        int next = advance(0);

                        private int advance(int from) {
                            int c = from;
                            while (c < batch.layout().size() && at(c) == null) {
                                c++;
                            }
                            return c;
                        }

                        @Override
                        public boolean hasNext() {
                            return next < batch.layout().size();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (!hasNext()) {
                                throw new NoSuchElementException();
                            }
                            int c = next;
                            next = advance(c + 1);
                            return new SimpleImmutableEntry<>(batch.layout().names().get(c), at(c));
                        }
                    };
                }

                @Override
                public int size() {
                    int n = 0;
                    for (int c = 0; c < batch.layout().size(); c++) {
                        n += at(c) == null ? 0 : 1;
                    }
                    return n;
                }
            };
        }
    }
}
