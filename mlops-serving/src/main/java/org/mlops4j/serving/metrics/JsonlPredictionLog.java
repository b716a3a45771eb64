package org.mlops4j.serving.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sampled prediction log in JSON Lines, appended by one background thread from a bounded queue (a full queue
 * drops entries and counts them rather than slow a request). Each line is one {@link PredictionLog.Entry}.
 * Thread-safe.
 * {@snippet :
 * try (PredictionLog log = JsonlPredictionLog.open(Path.of("predictions.jsonl"), 0.05, 42)) {
 *     // serve with it
 * }
 * }
 */
public final class JsonlPredictionLog implements PredictionLog {
    private static final Logger LOG = LoggerFactory.getLogger(JsonlPredictionLog.class);
    private static final Entry STOP = new Entry(0, null, null, 0, null, null, null, 0);
    private final ObjectMapper json = JsonMapper.builder().build();
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(10_000);
    private final double rate;
    private final SplittableRandom seed;
    private final ThreadLocal<SplittableRandom> random;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread writer;
    private final BufferedWriter out;
    private volatile boolean closed;

    private JsonlPredictionLog(Path file, double rate, long seed) throws IOException {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("sample rate must be in [0, 1] but was " + rate);
        }
        this.rate = rate;
        this.seed = new SplittableRandom(seed);
        this.random = ThreadLocal.withInitial(this::split);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        writer = new Thread(this::drain, "mlops-serving-prediction-log");
        writer.setDaemon(true);
        writer.start();
    }

    private synchronized SplittableRandom split() {
        return seed.split();
    }

    /**
     * @param file append to this file (created with its directories)
     * @param rate share of requests logged, in [0, 1]
     * @param seed sampling seed
     * @return the log, writing in the background
     */
    public static JsonlPredictionLog open(Path file, double rate, long seed) {
        try {
            return new JsonlPredictionLog(file, rate, seed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the prediction log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean sample() {
        return rate > 0 && !closed && (rate >= 1 || random.get().nextDouble() < rate);
    }

    @Override
    public void record(Entry entry) {
        if (!queue.offer(entry)) {
            dropped.incrementAndGet();
        }
    }

    /** @return entries dropped because the queue was full */
    public long dropped() {
        return dropped.get();
    }

    /** @return entries written */
    public long written() {
        return written.get();
    }

    private void drain() {
        try {
            while (true) {
                Entry e = queue.poll(1, TimeUnit.SECONDS);
                if (e == STOP) {
                    break;
                }
                if (e == null) {
                    out.flush();
                    continue;
                }
                out.write(json.writeValueAsString(e));
                out.write('\n');
                written.incrementAndGet();
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (IOException e) {
            LOG.warn("the prediction log stopped: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(STOP);
            writer.join(10_000);
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("closing the prediction log failed: {}", e.getMessage());
        }
    }
}
