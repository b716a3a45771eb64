package org.mlops4j.core;

import org.mlops4j.core.tracking.EnvironmentLock;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Pipeline#reproduce(org.mlops4j.core.tracking.Tracker, String)} found: whether retraining the run's
 * recorded recipe on its recorded data gave the same holdout predictions (bit for bit), the same value of every
 * metric (timings and system metrics excepted) and the same model payload fingerprint; each difference with
 * its recorded and current value; the environment lock entries that differ (which explain a difference, or
 * show that reproduction held across them); and whether the data came from a snapshot.
 * {@snippet :
 * Reproduction r = Pipeline.reproduce(tracker, runId);
 * r.exact();          // true
 * System.out.println(r);   // "run 3f2a… reproduced exactly: 102 holdout predictions bit for bit, 14 metrics, payload fingerprint ..."
 * }
 *
 * @param runId          the run reproduced
 * @param model          the registered version it was asked for ({@code models:/name/N}), or null
 * @param datasetVersion the data version it was retrained on
 * @param fromSnapshot   whether that data came from the run's snapshot rather than its source
 * @param compared       what was compared, in words ("102 holdout predictions", "14 metrics", "payload fingerprint")
 * @param differences    each difference; empty when exact
 * @param environment    the environment lock entries that differ between the run and this JVM
 * @param notes          what the report should say besides (a search's choice retrained, steps not rerun)
 */
public record Reproduction(String runId, String model, String datasetVersion, boolean fromSnapshot, List<String> compared,
                           List<Difference> differences, List<EnvironmentLock.Difference> environment, List<String> notes) {

    /** Changed environment entries listed one per line by {@link #toString()}; the rest are counted. */
    private static final int LISTED = 20;

    /** Copies. */
    public Reproduction {
        Objects.requireNonNull(runId, "runId");
        compared = List.copyOf(compared);
        differences = List.copyOf(differences);
        environment = List.copyOf(environment);
        notes = List.copyOf(notes);
    }

    /** @return whether nothing compared differs */
    public boolean exact() {
        return differences.isEmpty();
    }

    /**
     * One thing that came out differently.
     *
     * @param what     what was compared ({@code holdout predictions}, {@code metric holdout_rmse}, {@code payload fingerprint})
     * @param recorded its recorded value
     * @param now      its value now
     */
    public record Difference(String what, String recorded, String now) {
        @Override
        public String toString() {
            return what + ": " + recorded + " recorded, " + now + " now";
        }
    }

    /** @return a report for a terminal: the verdict, what was compared, each difference, the environment, the notes */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(model == null ? "run " + runId : model + " (run " + runId + ")");
        b.append(exact() ? " reproduced exactly" : " did NOT reproduce: " + differences.size() + " difference"
                + (differences.size() == 1 ? "" : "s"));
        b.append(" on data version ").append(datasetVersion, 0, Math.min(12, datasetVersion.length()))
                .append(fromSnapshot ? " (from the run's data snapshot)" : "").append('\n');
        b.append("  compared: ").append(String.join(", ", compared)).append('\n');
        for (Difference d : differences) {
            b.append("  differs: ").append(d).append('\n');
        }
        if (environment.isEmpty()) {
            b.append("  environment: same lock as the run\n");
        } else {
            b.append("  environment: ").append(environment.size()).append(" lock entr").append(environment.size() == 1 ? "y" : "ies")
                    .append(" differ").append(environment.size() == 1 ? "s" : "").append(exact() ? " (reproduced across them)" : " (a likely cause)")
                    .append('\n');
            // each changed entry by name; jars only on one side's class path (a shaded jar against the jars it holds, a
            // test class path) are counted, not listed one per line: environment() and --json have every entry
            List<EnvironmentLock.Difference> listed = environment.stream()
                    .filter(d -> !d.entry().startsWith("classpath.") || (d.recorded() != null && d.now() != null)).toList();
            long onlyThen = environment.stream().filter(d -> d.entry().startsWith("classpath.") && d.now() == null).count();
            long onlyNow = environment.stream().filter(d -> d.entry().startsWith("classpath.") && d.recorded() == null).count();
            int shown = 0;
            for (EnvironmentLock.Difference d : listed) {
                if (shown++ == LISTED) {
                    b.append("    … and ").append(listed.size() - LISTED).append(" more changed entries\n");
                    break;
                }
                b.append("    ").append(d).append('\n');
            }
            if (onlyThen + onlyNow > 0) {
                b.append("    class path: ").append(onlyThen).append(" jar").append(onlyThen == 1 ? "" : "s").append(" of the run's not on this one, ")
                        .append(onlyNow).append(" here not on the run's").append(" (every entry: Reproduction.environment(), or --json)\n");
            }
        }
        for (String n : notes) {
            b.append("  note: ").append(n).append('\n');
        }
        return b.toString().stripTrailing();
    }
}
