package org.mlops4j.serving.metrics;

import java.util.List;
import java.util.Map;

/**
 * Where sampled predictions go (inputs, outputs, version, latency), for audits and to join with ground truth
 * later. {@link #record} is called on the request thread and must not block: implementations queue.
 * {@snippet :
 * PredictionLog log = JsonlPredictionLog.open(Path.of("predictions.jsonl"), 0.01, 42);
 * }
 */
public interface PredictionLog extends AutoCloseable {

    /**
     * One logged request.
     *
     * @param time      epoch milliseconds
     * @param id        the prediction id (the key for feedback)
     * @param model     model name
     * @param version   version
     * @param protocol  {@code v2}, {@code mlflow}, {@code predict}
     * @param inputs    the rows, column to value
     * @param outputs   the predictions (numbers or labels)
     * @param latencyMicros time to answer
     */
    record Entry(long time, String id, String model, int version, String protocol, List<Map<String, Object>> inputs, List<Object> outputs,
                 long latencyMicros) {
    }

    /** @return whether this request should be logged (sampling) */
    boolean sample();

    /** @param entry queued for writing; dropped (and counted) when the queue is full */
    void record(Entry entry);

    /** Writes what is queued and closes. */
    @Override
    void close();

    /** @return a log that keeps nothing */
    static PredictionLog none() {
        return new PredictionLog() {
            @Override
            public boolean sample() {
                return false;
            }

            @Override
            public void record(Entry entry) {
            }

            @Override
            public void close() {
            }
        };
    }
}
