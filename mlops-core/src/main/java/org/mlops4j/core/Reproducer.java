package org.mlops4j.core;

import org.mlops4j.core.data.DataSource;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.evaluate.HoldoutPredictions;
import org.mlops4j.core.pipeline.Outputs;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.pipeline.RunOptions;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.tracking.EnvironmentLock;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.core.train.Trainer;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Rebuilds a run from its records and compares what came out: the engine of {@link Pipeline#reproduce}. */
final class Reproducer {
    private Reproducer() {
    }

    static Reproduction model(Tracker tracker, ModelRegistry registry, String ref) {
        String r = ref.startsWith("models:/") ? ref.substring("models:/".length()) : ref;
        ModelVersion v = registry.version(r);
        String where = "models:/" + v.name() + "/" + v.version();
        registry.load(v.ref()); // verifies the stored bundle before anything is compared with it
        String runId = v.lineage().runId();
        if (runId == null) {
            throw new ReproductionException(where + " records no run: it was registered without a tracked pipeline run, so there is"
                    + " no recipe to rebuild it from");
        }
        Registered registered = new Registered(where, v.tags().get(PipelineRunner.FINGERPRINT_TAG),
                v.lineage().parent() == null ? null : v.name(), v.lineage().parent());
        return reproduce(tracker, runId, registered);
    }

    /**
     * The registered version a reproduction is asked for.
     *
     * @param ref         {@code models:/name/N}
     * @param fingerprint its recorded payload fingerprint, or null when it was registered without one
     * @param derivedName its model name when a step of the run derived it (a quantized twin), else null
     * @param parent      the version it was derived from, or null
     */
    record Registered(String ref, String fingerprint, String derivedName, String parent) {
    }

    static Reproduction reproduce(Tracker tracker, String runId, Registered version) {
        Run run = tracker.run(runId).orElseThrow(() -> new ReproductionException("no run with id " + runId + " in " + tracker));
        byte[] recipe = recipe(tracker, runId)
                .orElseThrow(() -> new ReproductionException("run " + runId + " has no " + PipelineRunner.PIPELINE_FILE
                        + ": it was not made by Pipeline.run(), so there is no recipe to rebuild it from"));
        PipelineSpec spec;
        Optional<Trainer> chosen;
        try {
            spec = PipelineSpec.read(recipe);
            chosen = PipelineSpec.chosenTrainer(recipe);
        } catch (IllegalArgumentException e) {
            throw new ReproductionException("run " + runId + ": its " + PipelineRunner.PIPELINE_FILE + " cannot be read: " + e.getMessage(), e);
        }
        List<String> notes = new ArrayList<>();
        PipelineSpec.Builder b = spec.toBuilder();
        if (chosen.isPresent()) {
            b.trainer(chosen.get());
            notes.add("the run's trainer was a search (" + spec.trainer().spec().name() + "); the configuration it chose ("
                    + chosen.get().spec().name() + " " + chosen.get().spec().hyperparameters()
                    + ") was retrained, the search itself was not run again");
        }
        if (!spec.steps().isEmpty()) {
            // the recorded steps run again: some derive models (quantized twins) and log metrics the comparison needs
            notes.add(spec.steps().size() + " recorded step(s) of the run were run again (nothing is registered)");
        }
        String recorded = run.tags().get("mlops.dataset.version");
        Loaded loaded = load(tracker, run, spec, notes);
        Dataset data = loaded.data();
        boolean fromSnapshot = loaded.fromSnapshot();
        if (fromSnapshot) {
            // the snapshot stands in for the source, which may be one that cannot be read again (an in-memory data set)
            b.source(DataSource.of(data));
        }

        String experiment = tracker.experimentById(run.info().experimentId()).map(Experiment::name).orElse("reproduction");
        try (Tracker scratch = Tracker.inMemory()) {
            Outputs outputs = Outputs.none().track(scratch, experiment, run.info().name());
            PipelineResult result = new PipelineRunner(b.build().validated(), outputs, RunOptions.defaults(), data).run();
            Run again = scratch.run(result.runId().orElseThrow()).orElseThrow();
            List<String> compared = new ArrayList<>();
            List<Reproduction.Difference> diffs = new ArrayList<>();

            Optional<byte[]> recordedPredictions = artifact(tracker, runId, HoldoutPredictions.ARTIFACT);
            if (recordedPredictions.isPresent()) {
                HoldoutPredictions then = HoldoutPredictions.fromJson(recordedPredictions.get());
                HoldoutPredictions now = HoldoutPredictions.fromJson(artifact(scratch, again.id(), HoldoutPredictions.ARTIFACT).orElseThrow());
                compared.add(then.predictions().size() + " holdout predictions bit for bit");
                then.firstDifference(now).ifPresent(d -> diffs.add(new Reproduction.Difference("holdout predictions", d,
                        now.predictions().size() + " predictions made again")));
            } else {
                notes.add("the run recorded no holdout predictions (" + HoldoutPredictions.ARTIFACT + "); metrics and payload compared");
            }

            Set<String> keys = new TreeSet<>(run.metrics().keySet());
            keys.addAll(again.metrics().keySet());
            int metrics = 0;
            List<String> searchOnly = new ArrayList<>();
            for (String k : keys) {
                if (isTimingOrSystem(k)) {
                    continue;
                }
                boolean before = run.metrics().containsKey(k);
                boolean after = again.metrics().containsKey(k);
                if (before && !after && chosen.isPresent()) {
                    searchOnly.add(k);
                    continue;
                }
                metrics++;
                if (!before || !after) {
                    diffs.add(new Reproduction.Difference("metric " + k, before ? Double.toString(run.metric(k)) : "(absent)",
                            after ? Double.toString(again.metric(k)) : "(absent)"));
                    continue;
                }
                List<Metric> h1 = tracker.metricHistory(runId, k);
                List<Metric> h2 = scratch.metricHistory(again.id(), k);
                if (!sameHistory(h1, h2)) {
                    diffs.add(new Reproduction.Difference("metric " + k, history(h1), history(h2)));
                }
            }
            compared.add(metrics + " metrics (every step; timings and system metrics excepted)");
            if (!searchOnly.isEmpty()) {
                notes.add("metrics of the search itself were not compared: " + searchOnly);
            }

            String recordedPrint = run.tags().get(PipelineRunner.FINGERPRINT_TAG);
            String nowPrint = again.tags().get(PipelineRunner.FINGERPRINT_TAG);
            if (recordedPrint != null) {
                compared.add("model payload fingerprint");
                if (!recordedPrint.equals(nowPrint)) {
                    diffs.add(new Reproduction.Difference("model payload fingerprint", recordedPrint, nowPrint));
                }
            } else {
                notes.add("the run recorded no model payload fingerprint (tag " + PipelineRunner.FINGERPRINT_TAG + ")");
            }
            Map<String, String> derivedThen = derivedPrints(run.tags());
            Map<String, String> derivedNow = derivedPrints(again.tags());
            if (!derivedThen.isEmpty()) {
                Set<String> names = new TreeSet<>(derivedThen.keySet());
                names.addAll(derivedNow.keySet());
                compared.add("derived model payload fingerprints (" + String.join(", ", names) + ")");
                for (String n : names) {
                    String then = derivedThen.getOrDefault(n, "(not derived)");
                    String now = derivedNow.getOrDefault(n, "(not derived)");
                    if (!then.equals(now)) {
                        diffs.add(new Reproduction.Difference("derived model " + n + " payload fingerprint", then, now));
                    }
                }
            } else if (!derivedNow.isEmpty()) {
                notes.add("the run recorded no payload fingerprints of the models its steps derived " + derivedNow.keySet()
                        + " (it predates them): those payloads were not compared");
            }

            if (version != null) {
                String label = version.derivedName() == null ? "registered payload fingerprint"
                        : "registered payload fingerprint (" + version.derivedName() + ", derived from " + version.parent() + ")";
                String now = version.derivedName() == null ? nowPrint : derivedNow.getOrDefault(version.derivedName(), "(not derived)");
                if (version.fingerprint() != null) {
                    compared.add(label);
                    if (!version.fingerprint().equals(now)) {
                        diffs.add(new Reproduction.Difference(label, version.fingerprint(), now));
                    }
                } else {
                    notes.add(version.ref() + " was registered without a payload fingerprint (tag " + PipelineRunner.FINGERPRINT_TAG
                            + "): its payload was not compared");
                }
            }

            List<EnvironmentLock.Difference> env = List.of();
            Optional<byte[]> lock = artifact(tracker, runId, EnvironmentLock.ARTIFACT);
            if (lock.isPresent()) {
                env = EnvironmentLock.fromJson(lock.get()).differences(EnvironmentLock.current());
            } else {
                notes.add("the run recorded no environment lock (" + EnvironmentLock.ARTIFACT + ")");
            }
            return new Reproduction(runId, version == null ? null : version.ref(), recorded, fromSnapshot, compared, diffs, env, notes);
        }
    }

    record Loaded(Dataset data, boolean fromSnapshot) {
    }

    /** The run's data: its source when that still has the recorded version, else its snapshot, else a refusal. */
    static Loaded load(Tracker tracker, Run run, PipelineSpec spec, List<String> notes) {
        String runId = run.id();
        String recorded = run.tags().get("mlops.dataset.version");
        if (recorded == null) {
            throw new ReproductionException("run " + runId + " records no data version (tag mlops.dataset.version)");
        }
        String snapshotRun = run.tags().get(Snapshots.RUN_TAG);
        Dataset fresh = null;
        RuntimeException unreadable = null;
        try {
            fresh = spec.source().load();
        } catch (RuntimeException e) {
            unreadable = e;
        }
        Dataset data;
        boolean fromSnapshot = false;
        String source = spec.source().describe();
        if (fresh != null && fresh.version().id().equals(recorded)) {
            data = fresh;
        } else if (snapshotRun != null) {
            data = Snapshots.load(tracker, snapshotRun);
            if (!data.version().id().equals(recorded)) {
                throw new ReproductionException("run " + runId + ": its snapshot (run " + snapshotRun + ") holds data version "
                        + data.version().id() + " but the run recorded " + recorded);
            }
            fromSnapshot = true;
            notes.add(fresh != null
                    ? "the source " + source + " now has data version " + fresh.version().shortId() + ", not the recorded "
                    + shortId(recorded) + "; the run's snapshot was used"
                    : "the source " + source + " cannot be read (" + unreadable.getMessage() + "); the run's snapshot was used");
        } else if (fresh != null) {
            throw new ReproductionException("run " + runId + " was trained on data version " + recorded + " but its source " + source
                    + " now has version " + fresh.version().id() + ": the data changed since the run, and the run kept no snapshot"
                    + " (Pipeline.snapshotData()); restore the data of version " + shortId(recorded) + " to reproduce it");
        } else {
            throw new ReproductionException("run " + runId + ": its data source " + source + " cannot be read ("
                    + unreadable.getMessage() + ") and the run kept no snapshot (Pipeline.snapshotData())", unreadable);
        }

        return new Loaded(data, fromSnapshot);
    }

    /** The run's holdout rows with the label, from its data (source or snapshot) and its recorded holdout rows. */
    static Dataset holdout(Tracker tracker, String runId) {
        Run run = tracker.run(runId).orElseThrow(() -> new ReproductionException("no run with id " + runId + " in " + tracker));
        byte[] recipe = recipe(tracker, runId)
                .orElseThrow(() -> new ReproductionException("run " + runId + " has no " + PipelineRunner.PIPELINE_FILE));
        HoldoutPredictions h = HoldoutPredictions.fromJson(artifact(tracker, runId, HoldoutPredictions.ARTIFACT)
                .orElseThrow(() -> new ReproductionException("run " + runId + " recorded no holdout rows (" + HoldoutPredictions.ARTIFACT + ")")));
        PipelineSpec spec;
        try {
            spec = PipelineSpec.read(recipe);
        } catch (IllegalArgumentException e) {
            throw new ReproductionException("run " + runId + ": its " + PipelineRunner.PIPELINE_FILE + " cannot be read: " + e.getMessage(), e);
        }
        return load(tracker, run, spec, new ArrayList<>()).data().rows(h.rowArray());
    }

    /** The payload fingerprints of derived models a run recorded, by model name. */
    private static Map<String, String> derivedPrints(Map<String, String> tags) {
        Map<String, String> out = new TreeMap<>();
        tags.forEach((k, v) -> {
            if (k.startsWith(PipelineRunner.DERIVED_PREFIX) && k.endsWith(PipelineRunner.DERIVED_SUFFIX)
                    && k.length() > PipelineRunner.DERIVED_PREFIX.length() + PipelineRunner.DERIVED_SUFFIX.length()) {
                out.put(k.substring(PipelineRunner.DERIVED_PREFIX.length(), k.length() - PipelineRunner.DERIVED_SUFFIX.length()), v);
            }
        });
        return out;
    }

    private static boolean isTimingOrSystem(String key) {
        return key.startsWith("system/") || key.endsWith("_seconds") || key.endsWith("_milliseconds") || key.endsWith("_ms");
    }

    private static boolean sameHistory(List<Metric> a, List<Metric> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).step() != b.get(i).step()
                    || Double.doubleToLongBits(a.get(i).value()) != Double.doubleToLongBits(b.get(i).value())) {
                return false;
            }
        }
        return true;
    }

    private static String history(List<Metric> h) {
        if (h.size() == 1) {
            return Double.toString(h.get(0).value());
        }
        StringBuilder b = new StringBuilder("[");
        for (Metric m : h) {
            b.append(b.length() == 1 ? "" : ", ").append(m.step()).append(':').append(m.value());
        }
        return b.append(']').toString();
    }

    /**
     * The run's recipe: the bundle's copy ({@code model/pipeline.json}) when the run logged its bundle, since for a tuned
     * run only that one records the configuration the search chose; else the one logged when the data loaded.
     */
    private static Optional<byte[]> recipe(Tracker tracker, String runId) {
        Optional<byte[]> bundled = artifact(tracker, runId, "model/" + PipelineRunner.PIPELINE_FILE);
        return bundled.isPresent() ? bundled : artifact(tracker, runId, PipelineRunner.PIPELINE_FILE);
    }

    static Optional<byte[]> artifact(Tracker tracker, String runId, String path) {
        try (InputStream in = tracker.openArtifact(runId, path)) {
            return Optional.of(in.readAllBytes());
        } catch (TrackingNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ReproductionException("cannot read artifact " + path + " of run " + runId + ": " + e.getMessage(), e);
        }
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
