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
 * Today's path: each row becomes a map view over the batch (no copy) and goes through
 * {@link Predictor#predict(List)}, which applies the fitted chain and the model exactly as in-process callers
 * get it. When the predictor gains a primitive entry, {@link Scorer#of} points there instead.
 */
final class PredictorScorer implements Scorer {
    private final Predictor predictor;
    private final boolean classification;

    PredictorScorer(Predictor predictor) {
        this.predictor = predictor;
        this.classification = predictor.task() == Task.CLASSIFICATION;
    }

    @Override
    public Scores score(Batch batch) {
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
