package org.mlops4j.serving.routing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Calls {@link ModelRouter#refresh()} every interval on one background daemon thread, so an alias moved in the
 * registry is served within about one interval; loading and warming happen on that thread, never on a request.
 * {@snippet :
 * AliasFollower follower = AliasFollower.start(router, Duration.ofSeconds(2));
 * follower.close();
 * }
 */
public final class AliasFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AliasFollower.class);
    private final ScheduledExecutorService timer;

    private AliasFollower(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * @param router   what to refresh
     * @param interval between refreshes
     * @return the running follower
     */
    public static AliasFollower start(ModelRouter router, Duration interval) {
        Objects.requireNonNull(router, "router");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive but was " + interval);
        }
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "mlops-serving-follower");
            th.setDaemon(true);
            return th;
        });
        t.scheduleWithFixedDelay(() -> {
            try {
                router.refresh();
            } catch (RuntimeException e) {
                LOG.warn("following the registry failed: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new AliasFollower(t);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
