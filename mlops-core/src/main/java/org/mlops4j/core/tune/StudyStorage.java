package org.mlops4j.core.tune;

import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunBatch;
import org.mlops4j.core.tracking.RunPage;
import org.mlops4j.core.tracking.RunQuery;
import org.mlops4j.core.tracking.RunStatus;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingConflictException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where a study lives between JVMs: a tracking store (the one runs already go to; SQLite for one machine,
 * PostgreSQL for several). The study is the experiment {@code study:<name>} holding one coordination run
 * and one run per trial. A worker claims a trial number by logging the param {@code trial.<n>} on the
 * coordination run: params never change, so two workers cannot claim the same number, in one process or
 * in many. A running trial sends a heartbeat; a trial whose heartbeat stopped for {@link #staleAfter}
 * (its JVM was killed) is marked abandoned by the next worker that looks, and its number does not count
 * against the budget, so a resumed study runs the trials it still owes.
 * {@snippet :
 * Study<RandomForest> study = Tune.tpe(space).trials(40).storage(StudyStorage.of(tracker, "house-prices-rf"));
 * }
 */
public final class StudyStorage {
    private final Tracker tracker;
    private final String name;
    private final Duration staleAfter;
    private final Duration heartbeat;

    private StudyStorage(Tracker tracker, String name, Duration staleAfter, Duration heartbeat) {
        this.tracker = tracker;
        this.name = name;
        this.staleAfter = staleAfter;
        this.heartbeat = heartbeat;
    }

    /**
     * @param tracker the tracker whose store keeps the study
     * @param name    the study's name (letters, digits, {@code _ . -})
     * @return storage with a 10 s heartbeat and trials abandoned after 60 s without one
     */
    public static StudyStorage of(Tracker tracker, String name) {
        Objects.requireNonNull(tracker, "tracker");
        org.mlops4j.core.internal.Names.model("study name", name);
        return new StudyStorage(tracker, name, Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    /**
     * @param d how long a running trial may go without a heartbeat before it counts as abandoned
     * @return this storage with that limit
     */
    public StudyStorage staleAfter(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("staleAfter must be positive but was " + d);
        }
        return new StudyStorage(tracker, name, d, heartbeat);
    }

    /**
     * @param d how often a running trial says it is alive
     * @return this storage with that interval
     */
    public StudyStorage heartbeat(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive but was " + d);
        }
        return new StudyStorage(tracker, name, staleAfter, d);
    }

    /** @return the study's name */
    public String name() {
        return name;
    }

    /** @return the experiment that holds the study */
    public String experimentName() {
        return "study:" + name;
    }

    @Override
    public String toString() {
        return "StudyStorage[" + name + " in " + tracker + "]";
    }

    Session open(Space<?> space) {
        return new StoreSession(space);
    }

    private final class StoreSession implements Session {
        private final Space<?> space;
        private final String worker = UUID.randomUUID().toString().substring(0, 8);
        private final String experimentId;
        private final String studyRunId;
        private final Map<Integer, Trial> finished = new ConcurrentHashMap<>();
        private final java.util.Set<Integer> mine = ConcurrentHashMap.newKeySet();
        private final ScheduledExecutorService beats;

        StoreSession(Space<?> space) {
            this.space = space;
            String exp = experimentName();
            Experiment e;
            boolean creator = false;
            try {
                e = tracker.createExperiment(exp, Map.of("mlops.study.name", name));
                creator = true;
            } catch (TrackingConflictException taken) {
                e = tracker.experimentByName(exp).orElseThrow(() -> taken);
            }
            experimentId = e.id();
            if (creator) {
                ActiveRun coordination = tracker.startRun(exp, "study");
                coordination.setTags(Map.of("mlops.study.name", name, "mlops.study.space", space.describe().toString()
                        .substring(0, Math.min(7000, space.describe().toString().length()))));
                tracker.setExperimentTag(experimentId, "mlops.study.run", coordination.id());
                studyRunId = coordination.id();
            } else {
                studyRunId = awaitCoordinationRun();
            }
            beats = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mlops4j-study-heartbeat");
                t.setDaemon(true);
                return t;
            });
        }

        private String awaitCoordinationRun() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                Optional<String> id = tracker.experimentById(experimentId).map(x -> x.tags().get("mlops.study.run"));
                if (id.isPresent()) {
                    return id.get();
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw new IllegalStateException("study '" + name + "' exists but its coordination run did not appear within 30 s;"
                    + " its creator may have stopped: delete experiment '" + experimentName() + "' or use another name");
        }

        private Map<String, String> coordinationParams() {
            return tracker.run(studyRunId).map(Run::params).orElse(Map.of());
        }

        @Override
        public List<Trial> trials() {
            List<Trial> out = new ArrayList<>();
            String token = null;
            do {
                RunQuery q = RunQuery.experiments(experimentId).maxResults(RunQuery.MAX_RESULTS);
                if (token != null) {
                    q = q.pageToken(token);
                }
                RunPage page = tracker.searchRuns(q);
                for (Run r : page.runs()) {
                    String number = r.tags().get("mlops.trial.number");
                    if (number == null) {
                        continue;
                    }
                    Trial t = read(r, Integer.parseInt(number));
                    if (t != null) {
                        out.add(t);
                    }
                }
                token = page.nextPageToken().orElse(null);
            } while (token != null);
            out.sort(java.util.Comparator.comparingInt(Trial::number));
            return out;
        }

        private Trial read(Run r, int number) {
            Trial known = finished.get(number);
            if (known != null) {
                return known;
            }
            Map<String, Object> params = Params.parse(space, r.params());
            if (params == null) {
                return null;
            }
            String state = r.tags().get("mlops.trial.state");
            if (state == null) {
                if (r.info().status() == RunStatus.RUNNING && stale(r)) {
                    abandon(r, number);
                    return trial(number, params, TrialState.FAILED, null, List.of(), "abandoned: no heartbeat for " + staleAfter);
                }
                return r.info().status() == RunStatus.RUNNING ? trial(number, params, TrialState.RUNNING, null, List.of(), null)
                        : trial(number, params, TrialState.FAILED, null, List.of(), "ended without a result (" + r.info().status() + ")");
            }
            TrialState s = TrialState.valueOf(state);
            List<Double> steps = tracker.metricHistory(r.id(), "objective_step").stream().map(Metric::value).toList();
            Metric objective = r.metrics().get("objective");
            Trial t = trial(number, params, s, objective == null ? null : objective.value(), steps, r.tags().get("mlops.trial.error"));
            finished.put(number, t);
            return t;
        }

        private Trial trial(int number, Map<String, Object> params, TrialState s, Double value, List<Double> steps, String error) {
            return new Trial(number, params, s, value, steps, error);
        }

        private boolean stale(Run r) {
            Metric beat = r.metrics().get("heartbeat");
            Instant last = beat != null ? beat.timestamp() : r.info().startTime();
            return last.plus(staleAfter).isBefore(Instant.now());
        }

        private void abandon(Run r, int number) {
            try {
                tracker.more().logBatch(studyRunId, new RunBatch(Map.of("abandoned." + number, worker), List.of(), Map.of()));
            } catch (TrackingConflictException alreadyDone) {
                return;
            }
            tracker.more().logBatch(r.id(), new RunBatch(Map.of(), List.of(), Map.of("mlops.trial.state", TrialState.FAILED.name(),
                    "mlops.trial.error", "abandoned: no heartbeat for " + staleAfter)));
            tracker.more().endRun(r.id(), RunStatus.KILLED, null);
        }

        @Override
        public OptionalInt claim(int budget) {
            for (int attempt = 0; attempt < 1000; attempt++) {
                Claims c = claims();
                if (c.counted() >= budget) {
                    return OptionalInt.empty();
                }
                int n = c.max() + 1;
                try {
                    tracker.more().logBatch(studyRunId, new RunBatch(Map.of("trial." + n, worker + "@" + System.currentTimeMillis()),
                            List.of(), Map.of()));
                    mine.add(n);
                    return OptionalInt.of(n);
                } catch (TrackingConflictException raced) {
                    // another worker took n first: read again
                }
            }
            throw new IllegalStateException("study '" + name + "': could not claim a trial number after 1000 attempts");
        }

        /**
         * The claims on the coordination run. A claim whose JVM died before it created the trial's run is given
         * back once it is older than {@link #staleAfter} (the claim records its time), as a stale trial is.
         */
        private Claims claims() {
            java.util.Set<Integer> withRun = new java.util.HashSet<>();
            for (Trial t : trials()) { // abandons stale trials first
                withRun.add(t.number());
            }
            java.util.Set<Integer> given = new java.util.HashSet<>();
            java.util.TreeMap<Integer, String> claimed = new java.util.TreeMap<>();
            for (Map.Entry<String, String> e : coordinationParams().entrySet()) {
                String k = e.getKey();
                if (k.startsWith("trial.")) {
                    claimed.put(Integer.parseInt(k.substring("trial.".length())), e.getValue());
                } else if (k.startsWith("abandoned.")) {
                    given.add(Integer.parseInt(k.substring("abandoned.".length())));
                } else if (k.startsWith("released.")) {
                    given.add(Integer.parseInt(k.substring("released.".length())));
                }
            }
            int pending = 0;
            for (Map.Entry<Integer, String> e : claimed.entrySet()) {
                int n = e.getKey();
                if (given.contains(n) || mine.contains(n) || withRun.contains(n)) {
                    continue;
                }
                int at = e.getValue().lastIndexOf('@');
                long when = at < 0 ? 0 : Long.parseLong(e.getValue().substring(at + 1));
                if (when + staleAfter.toMillis() < System.currentTimeMillis()) {
                    try {
                        tracker.more().logBatch(studyRunId, new RunBatch(Map.of("abandoned." + n, worker), List.of(), Map.of()));
                    } catch (TrackingConflictException alreadyGiven) {
                        // another worker gave it back first
                    }
                    given.add(n);
                } else {
                    pending++;
                }
            }
            int counted = 0;
            for (int n : claimed.keySet()) {
                if (!given.contains(n)) {
                    counted++;
                }
            }
            return new Claims(claimed.isEmpty() ? 0 : claimed.lastKey(), counted, pending);
        }

        @Override
        public boolean othersRunning() {
            return claims().pending() > 0
                    || trials().stream().anyMatch(t -> t.state() == TrialState.RUNNING && !mine.contains(t.number()));
        }

        @Override
        public boolean pause() {
            try {
                Thread.sleep(Math.min(1000, heartbeat.toMillis()));
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public void release(int number) {
            tracker.more().logBatch(studyRunId, new RunBatch(Map.of("released." + number, worker), List.of(), Map.of()));
        }

        @Override
        public Recorder start(int number, Map<String, Object> params) {
            mine.add(number);
            var info = tracker.more().createRun(experimentId, "trial-" + number, studyRunId, null,
                    Map.of("mlops.trial.number", Integer.toString(number), "mlops.study.name", name, "mlops.trial.worker", worker));
            ActiveRun run = tracker.resumeRun(info.runId());
            run.logParams(Params.strings(params));
            beat(run);
            long ms = heartbeat.toMillis();
            ScheduledFuture<?> f = beats.scheduleAtFixedRate(() -> beat(run), ms, ms, TimeUnit.MILLISECONDS);
            return new Beating(run, f);
        }

        private void beat(ActiveRun run) {
            try {
                run.logBatch(new RunBatch(Map.of(), List.of(new Metric("heartbeat", System.currentTimeMillis() / 1000.0, 0,
                        Instant.now())), Map.of()));
            } catch (RuntimeException e) {
                // a missed heartbeat only risks the trial being taken for abandoned later
            }
        }

        @Override
        public void finish(Recorder recorder, Trial result) {
            Beating b = (Beating) recorder;
            b.beat.cancel(false);
            b.end(result);
            finished.put(result.number(), result);
        }

        @Override
        public void close() {
            beats.shutdownNow();
        }
    }

    /** What the coordination run says: the highest number claimed, claims that count, claims not yet with a run. */
    private record Claims(int max, int counted, int pending) {
    }

    /** A trial run with its heartbeat. */
    private static final class Beating extends Session.RunRecorder {
        final ScheduledFuture<?> beat;

        Beating(ActiveRun run, ScheduledFuture<?> beat) {
            super(run);
            this.beat = beat;
        }
    }

}
