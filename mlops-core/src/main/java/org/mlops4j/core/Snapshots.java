package org.mlops4j.core;

import org.mlops4j.core.data.DataSnapshot;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunQuery;
import org.mlops4j.core.tracking.RunStatus;
import org.mlops4j.core.tracking.Tracker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * Data snapshots kept in a tracking store: one finished run per data version in the experiment
 * {@value #EXPERIMENT}, holding {@value #ARTIFACT}. The store's artifacts are content-addressed, so the same bytes
 * are kept once even if two runs race to snapshot the same version.
 */
final class Snapshots {
    static final String EXPERIMENT = "snapshots:data";
    static final String ARTIFACT = "dataset/snapshot.bin.gz";
    static final String VERSION_TAG = "mlops.snapshot.dataset_version";
    /** On a pipeline run: the run that holds its data snapshot. */
    static final String RUN_TAG = "mlops.dataset.snapshot_run";

    private Snapshots() {
    }

    static Optional<String> find(Tracker tracker, String versionId) {
        Optional<Experiment> e = tracker.experimentByName(EXPERIMENT);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        for (Run r : tracker.searchRuns(RunQuery.experiments(e.get().id())
                .filter("tags.`" + VERSION_TAG + "` = '" + versionId + "'").maxResults(20)).runs()) {
            if (r.info().status() == RunStatus.FINISHED
                    && r.artifacts().stream().anyMatch(a -> a.path().equals(ARTIFACT))) {
                return Optional.of(r.id());
            }
        }
        return Optional.empty();
    }

    /** @return the id of the run holding the snapshot of {@code data}, made now if none exists */
    static String keep(Tracker tracker, Dataset data) {
        String id = data.version().id();
        Optional<String> existing = find(tracker, id);
        if (existing.isPresent()) {
            return existing.get();
        }
        try (ActiveRun run = tracker.startRun(EXPERIMENT, "snapshot-" + data.version().shortId())) {
            run.setTags(Map.of(VERSION_TAG, id, "mlops.dataset.source", data.version().uri(),
                    "mlops.dataset.rows", Integer.toString(data.rowCount())));
            run.logArtifact(ARTIFACT, DataSnapshot.write(data));
            run.finish();
            tracker.flush();
            return run.id();
        }
    }

    static Dataset load(Tracker tracker, String runId) {
        try (InputStream in = tracker.openArtifact(runId, ARTIFACT)) {
            return DataSnapshot.read(in.readAllBytes(), "run " + runId + " artifact " + ARTIFACT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data snapshot of run " + runId, e);
        }
    }
}
