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
     * @param d how long a running trial may go without a heartbeat before it counts as abandoned (at least twice the
     *          {@linkplain #heartbeat heartbeat}; checked when a study opens the storage)
     * @return this storage with that limit
     */
    public StudyStorage staleAfter(Duration d) {
        Objects.requireNonNull(d, "staleAfter");
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
        Objects.requireNonNull(d, "heartbeat");
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

    Session open(Study<?> study) {
        if (staleAfter.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("study '" + name + "': staleAfter (" + staleAfter + ") must be at least twice the"
                    + " heartbeat (" + heartbeat + "), or a live trial is given back between two heartbeats and runs twice;"
                    + " raise staleAfter(...) or lower heartbeat(...)");
        }
        return new StoreSession(study);
    }

    /** The tags a study is created with and checked against when it is opened again. */
    private static Map<String, String> identity(Study<?> study) {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        tags.put(SPACE_TAG, new String(org.mlops4j.core.internal.Json.write(study.space().describe()), java.nio.charset.StandardCharsets.UTF_8));
        tags.put(METRIC_TAG, study.objectiveMetric());
        tags.put(DIRECTION_TAG, study.objectiveDirection().name());
        tags.put(TRAINER_TAG, study.space().base().spec().name());
        return tags;
    }

    private static final String SPACE_TAG = "mlops.study.space";
    private static final String METRIC_TAG = "mlops.study.metric";
    private static final String DIRECTION_TAG = "mlops.study.direction";
    private static final String TRAINER_TAG = "mlops.study.trainer";
    private static final String RUN_TAG = "mlops.study.run";

    /**
     * @param tracker a tracker
     * @return the names of the studies its store holds, oldest first
     */
    public static List<String> names(Tracker tracker) {
        return tracker.experiments().stream().map(Experiment::name).filter(n -> n.startsWith("study:"))
                .map(n -> n.substring("study:".length())).toList();
    }

    /**
     * Reads the study as it stands, without running anything: for {@code mlops study show}, a notebook, a
     * dashboard. Values are read back as integers, numbers or text (the space's own types are known only to
     * the code that defined it).
     *
     * @return every trial so far (running ones included) and the best
     * @throws IllegalArgumentException when the store holds no study of this name, naming those it holds
     */
    public StudyResult read() {
        Experiment e = tracker.experimentByName(experimentName()).orElseThrow(() -> new IllegalArgumentException(
                "no study named '" + name + "' in " + tracker + "; studies there: " + names(tracker)));
        String runId = e.tags().get(RUN_TAG);
        Map<String, String> tags = runId == null ? Map.of() : tracker.run(runId).map(Run::tags).orElse(Map.of());
        Direction direction = tags.containsKey(DIRECTION_TAG) ? Direction.valueOf(tags.get(DIRECTION_TAG)) : Direction.MINIMIZE;
        String metric = tags.getOrDefault(METRIC_TAG, "objective");
        List<Trial> out = new ArrayList<>();
        for (Run r : allRuns(e.id())) {
            String number = r.tags().get("mlops.trial.number");
            if (number != null) {
                out.add(trialOf(r, Integer.parseInt(number), Params.guess(r.params())));
            }
        }
        return new StudyResult(out, direction, metric);
    }

    /**
     * @return each parameter's range as the study's creator described it, by name (empty when unknown)
     * @throws IllegalArgumentException when the store holds no study of this name
     */
    public Map<String, String> space() {
        Experiment e = tracker.experimentByName(experimentName()).orElseThrow(() -> new IllegalArgumentException(
                "no study named '" + name + "' in " + tracker + "; studies there: " + names(tracker)));
        String runId = e.tags().get(RUN_TAG);
        String json = runId == null ? null : tracker.run(runId).map(r -> r.tags().get(SPACE_TAG)).orElse(null);
        if (json == null) {
            return Map.of();
        }
        try {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            org.mlops4j.core.internal.Json.mapper().readTree(json).fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
            return m;
        } catch (java.io.IOException | RuntimeException bad) {
            return Map.of();
        }
    }

    private List<Run> allRuns(String experimentId) {
        List<Run> out = new ArrayList<>();
        String token = null;
        do {
            RunQuery q = RunQuery.experiments(experimentId).maxResults(RunQuery.MAX_RESULTS);
            if (token != null) {
                q = q.pageToken(token);
            }
            RunPage page = tracker.searchRuns(q);
            out.addAll(page.runs());
            token = page.nextPageToken().orElse(null);
        } while (token != null);
        return out;
    }

    /** A trial as its run records it; a run still running is RUNNING, one that ended without a result FAILED. */
    private Trial trialOf(Run r, int number, Map<String, Object> params) {
        String state = r.tags().get("mlops.trial.state");
        if (state == null) {
            return r.info().status() == RunStatus.RUNNING ? new Trial(number, params, TrialState.RUNNING, null, List.of(), null)
                    : new Trial(number, params, TrialState.FAILED, null, List.of(), "ended without a result (" + r.info().status() + ")");
        }
        List<Double> steps = tracker.metricHistory(r.id(), "objective_step").stream().map(Metric::value).toList();
        Metric objective = r.metrics().get("objective");
        return new Trial(number, params, TrialState.valueOf(state), objective == null ? null : objective.value(), steps,
                r.tags().get("mlops.trial.error"));
    }

    private final class StoreSession implements Session {
        private final Space<?> space;
        private final Study<?> study;
        private final String worker = UUID.randomUUID().toString().substring(0, 8);
        private final String experimentId;
        private final String studyRunId;
        private final Map<Integer, Trial> finished = new ConcurrentHashMap<>();
        private final java.util.Set<Integer> mine = ConcurrentHashMap.newKeySet();
        private final ScheduledExecutorService beats;
        /** The trials read by the last successful claim, until the sampler takes them (calls come under the study's lock). */
        private List<Trial> atClaim;

        StoreSession(Study<?> study) {
            this.study = study;
            this.space = study.space();
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
                Map<String, String> tags = new java.util.LinkedHashMap<>(identity(study));
                tags.put("mlops.study.name", name);
                tags.put("mlops.study.sampler", study.sampler().name());
                coordination.setTags(tags);
                tracker.setExperimentTag(experimentId, RUN_TAG, coordination.id());
                studyRunId = coordination.id();
            } else {
                studyRunId = awaitCoordinationRun();
                Map<String, String> stored = tracker.run(studyRunId).map(Run::tags).orElse(Map.of());
                for (Map.Entry<String, String> want : identity(study).entrySet()) {
                    String had = stored.get(want.getKey());
                    if (had != null && !had.equals(want.getValue())) {
                        throw new IllegalArgumentException("study '" + name + "' in " + tracker + " was created with "
                                + want.getKey().substring("mlops.study.".length()) + " " + had + " but this study has " + want.getValue()
                                + "; its trials would not compare: give this study another name, or the same "
                                + want.getKey().substring("mlops.study.".length()));
                    }
                }
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
                Optional<String> id = tracker.experimentById(experimentId).map(x -> x.tags().get(RUN_TAG));
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
            for (Run r : allRuns(experimentId)) {
                String number = r.tags().get("mlops.trial.number");
                if (number != null) {
                    Trial t = read(r, Integer.parseInt(number));
                    if (t != null) {
                        out.add(t);
                    }
                }
            }
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
            if (r.tags().get("mlops.trial.state") == null && r.info().status() == RunStatus.RUNNING && stale(r)) {
                abandon(r, number);
                return new Trial(number, params, TrialState.FAILED, null, List.of(), "abandoned: no heartbeat for " + staleAfter);
            }
            Trial t = trialOf(r, number, params);
            if (t.state() != TrialState.RUNNING) {
                finished.put(number, t);
            }
            return t;
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
        public List<Trial> trialsAtClaim() {
            List<Trial> read = atClaim;
            atClaim = null;
            return read != null ? read : trials();
        }

        @Override
        public OptionalInt claim(int budget) {
            atClaim = null;
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
                    atClaim = c.trials();
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
            List<Trial> read = trials(); // abandons stale trials first
            for (Trial t : read) {
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
            return new Claims(claimed.isEmpty() ? 0 : claimed.lastKey(), counted, pending, read);
        }

        @Override
        public boolean othersRunning() {
            Claims c = claims();
            return c.pending() > 0 || c.trials().stream().anyMatch(t -> t.state() == TrialState.RUNNING && !mine.contains(t.number()));
        }

        @Override
        public boolean pause() {
            try {
                Thread.sleep(Math.min(250, heartbeat.toMillis()));
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

    /**
     * What the coordination run says: the highest number claimed, claims that count, claims not yet with a run;
     * and the trials read to find out.
     */
    private record Claims(int max, int counted, int pending, List<Trial> trials) {
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
