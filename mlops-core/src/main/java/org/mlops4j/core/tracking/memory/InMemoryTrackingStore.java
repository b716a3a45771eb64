package org.mlops4j.core.tracking.memory;

import org.mlops4j.core.internal.Sha256;
import org.mlops4j.core.tracking.ArtifactInfo;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunInfo;
import org.mlops4j.core.tracking.RunPage;
import org.mlops4j.core.tracking.RunQuery;
import org.mlops4j.core.tracking.RunStatus;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingConflictException;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.core.tracking.spi.RunFilter;
import org.mlops4j.core.tracking.spi.RunWrite;
import org.mlops4j.core.tracking.spi.TrackingStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A {@link TrackingStore} that keeps everything in this JVM's heap: for tests, notebooks and JShell.
 * Thread-safe (one lock); nothing survives the JVM. Experiment ids count up from 1; run ids are random
 * 32-hex-digit UUIDs, like MLflow's.
 * {@snippet :
 * Tracker tracker = Tracker.inMemory(); // uses this store
 * }
 */
public final class InMemoryTrackingStore implements TrackingStore {
    private final Map<String, Experiment> experiments = new LinkedHashMap<>();
    private final Map<String, RunState> runs = new LinkedHashMap<>();
    private final Set<String> appliedWrites = new HashSet<>();
    private long nextExperimentId = 1;

    private static final class RunState {
        RunInfo info;
        final Map<String, String> params = new HashMap<>();
        final Map<String, String> tags = new HashMap<>();
        final Map<String, List<Metric>> metrics = new LinkedHashMap<>();
        final Map<String, Metric> latest = new HashMap<>();
        final Map<String, byte[]> artifacts = new TreeMap<>();
        final Map<String, ArtifactInfo> artifactInfo = new TreeMap<>();

        RunState(RunInfo info) {
            this.info = info;
        }
    }

    @Override
    public synchronized Experiment createExperiment(String name, Map<String, String> tags, Instant createdAt) {
        if (experimentByName(name).isPresent()) {
            throw new TrackingConflictException("experiment '" + name + "' already exists");
        }
        Experiment e = new Experiment(Long.toString(nextExperimentId++), name, createdAt, tags);
        experiments.put(e.id(), e);
        return e;
    }

    @Override
    public synchronized Optional<Experiment> experimentByName(String name) {
        return experiments.values().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    @Override
    public synchronized Optional<Experiment> experimentById(String id) {
        return Optional.ofNullable(experiments.get(id));
    }

    @Override
    public synchronized List<Experiment> experiments() {
        return List.copyOf(experiments.values());
    }

    @Override
    public synchronized void setExperimentTag(String experimentId, String key, String value) {
        Experiment e = experiments.get(experimentId);
        if (e == null) {
            throw new TrackingNotFoundException("no experiment with id " + experimentId);
        }
        Map<String, String> tags = new HashMap<>(e.tags());
        tags.put(key, value);
        experiments.put(experimentId, new Experiment(e.id(), e.name(), e.createdAt(), tags));
    }

    @Override
    public synchronized RunInfo createRun(String experimentId, String name, String parentRunId, Instant startTime,
                                          Map<String, String> tags) {
        if (!experiments.containsKey(experimentId)) {
            throw new TrackingNotFoundException("no experiment with id " + experimentId);
        }
        if (parentRunId != null && !runs.containsKey(parentRunId)) {
            throw new TrackingNotFoundException("no parent run " + parentRunId);
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        RunInfo info = new RunInfo(id, experimentId, name, parentRunId, RunStatus.RUNNING, startTime, null);
        RunState s = new RunState(info);
        s.tags.putAll(tags);
        runs.put(id, s);
        return info;
    }

    private RunState state(String runId) {
        RunState s = runs.get(runId);
        if (s == null) {
            throw new TrackingNotFoundException("no run with id " + runId);
        }
        return s;
    }

    @Override
    public synchronized void write(List<RunWrite> writes) {
        // Check everything before changing anything: the whole list is all or nothing.
        Map<String, Map<String, String>> newParams = new HashMap<>();
        for (RunWrite w : writes) {
            if (appliedWrites.contains(w.writeId())) {
                continue;
            }
            RunState s = state(w.runId());
            Map<String, String> pending = newParams.computeIfAbsent(w.runId(), k -> new HashMap<>());
            w.batch().params().forEach((k, v) -> {
                String old = s.params.getOrDefault(k, pending.get(k));
                if (old != null && !old.equals(v)) {
                    throw new TrackingConflictException("param '" + k + "' of run " + w.runId() + " is already '" + old
                            + "'; params cannot change (tried '" + v + "')");
                }
                pending.put(k, v);
            });
        }
        for (RunWrite w : writes) {
            if (!appliedWrites.add(w.writeId())) {
                continue;
            }
            RunState s = state(w.runId());
            s.params.putAll(w.batch().params());
            s.tags.putAll(w.batch().tags());
            for (Metric m : w.batch().metrics()) {
                s.metrics.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
                Metric cur = s.latest.get(m.key());
                if (cur == null || m.step() > cur.step() || (m.step() == cur.step() && !m.timestamp().isBefore(cur.timestamp()))) {
                    s.latest.put(m.key(), m);
                }
            }
        }
    }

    @Override
    public synchronized void endRun(String runId, RunStatus status, Instant endTime) {
        RunState s = state(runId);
        s.info = s.info.ended(status, endTime);
    }

    @Override
    public synchronized Optional<Run> run(String runId) {
        RunState s = runs.get(runId);
        return s == null ? Optional.empty() : Optional.of(snapshot(s));
    }

    private static Run snapshot(RunState s) {
        return new Run(s.info, s.params, s.latest, s.tags, List.copyOf(s.artifactInfo.values()));
    }

    @Override
    public synchronized RunPage searchRuns(RunQuery query) {
        long offset = query.offset();
        List<Run> matching = new ArrayList<>();
        for (RunState s : runs.values()) {
            if (query.experimentIds().contains(s.info.experimentId())) {
                Run r = snapshot(s);
                if (query.parsedFilter().test(r)) {
                    matching.add(r);
                }
            }
        }
        matching.sort(RunFilter.comparator(query.parsedOrder()));
        int from = (int) Math.min(offset, matching.size());
        int to = (int) Math.min((long) from + query.maxResults(), matching.size());
        return new RunPage(matching.subList(from, to), to < matching.size() ? RunQuery.tokenForOffset(to) : null);
    }

    @Override
    public synchronized List<Metric> metricHistory(String runId, String key) {
        return List.copyOf(state(runId).metrics.getOrDefault(key, List.of()));
    }

    @Override
    public ArtifactInfo putArtifact(String runId, String path, InputStream content) {
        synchronized (this) {
            state(runId);
        }
        byte[] bytes;
        try {
            bytes = content.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading artifact " + path, e);
        }
        ArtifactInfo info = new ArtifactInfo(path, bytes.length, Sha256.hex(bytes));
        synchronized (this) {
            RunState s = state(runId);
            s.artifacts.put(path, bytes);
            s.artifactInfo.put(path, info);
        }
        return info;
    }

    @Override
    public synchronized InputStream openArtifact(String runId, String path) {
        byte[] bytes = state(runId).artifacts.get(path);
        if (bytes == null) {
            throw new TrackingNotFoundException("run " + runId + " has no artifact '" + path + "'");
        }
        return new ByteArrayInputStream(bytes);
    }
}
