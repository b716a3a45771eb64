package org.mlops4j.core.tune;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a study found: every trial (in number order) and the best complete one.
 * {@snippet :
 * StudyResult r = study.run(trainingSet, TrainContext.defaults());
 * r.best().params();                 // the winning configuration
 * System.out.println(r.table(5));    // the five best trials
 * }
 *
 * @param trials    every trial, by number
 * @param direction whether lower or higher values are better
 * @param metric    the metric optimised
 */
public record StudyResult(List<Trial> trials, Direction direction, String metric) {

    /** Copies and sorts. */
    public StudyResult {
        trials = trials.stream().sorted(Comparator.comparingInt(Trial::number)).toList();
        Objects.requireNonNull(direction, "direction");
    }

    /**
     * @return the complete trial with the best value (the lowest number among equals)
     * @throws IllegalStateException when no trial completed, naming the first error
     */
    public Trial best() {
        Trial best = null;
        for (Trial t : trials) {
            if (t.state() == TrialState.COMPLETE && (best == null || direction.better(t.value(), best.value()))) {
                best = t;
            }
        }
        if (best == null) {
            String firstError = trials.stream().map(Trial::error).filter(Objects::nonNull).findFirst().orElse("none recorded");
            throw new IllegalStateException("no trial of the study completed (" + trials.size() + " trials: "
                    + count(TrialState.FAILED) + " failed, " + count(TrialState.PRUNED) + " pruned); first error: " + firstError);
        }
        return best;
    }

    /**
     * @param state a state
     * @return how many trials are in it
     */
    public long count(TrialState state) {
        return trials.stream().filter(t -> t.state() == state).count();
    }

    /**
     * @param n how many
     * @return the n best complete trials as a text table, for a terminal
     */
    public String table(int n) {
        List<Trial> top = trials.stream().filter(t -> t.state() == TrialState.COMPLETE)
                .sorted((a, b) -> direction == Direction.MINIMIZE ? Double.compare(a.value(), b.value()) : Double.compare(b.value(), a.value()))
                .limit(n).toList();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-6s %-12s %s%n", "trial", metric, "parameters"));
        for (Trial t : top) {
            sb.append(String.format(Locale.ROOT, "%-6d %-12.6g %s%n", t.number(), t.value(), t.params()));
        }
        sb.append(String.format(Locale.ROOT, "%d trials: %d complete, %d pruned, %d failed%n", trials.size(), count(TrialState.COMPLETE),
                count(TrialState.PRUNED), count(TrialState.FAILED)));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "StudyResult[" + trials.size() + " trials, best " + (count(TrialState.COMPLETE) == 0 ? "none"
                : "trial " + best().number() + " " + metric + "=" + String.format(Locale.ROOT, "%.6g", best().value()) + " " + best().params()) + "]";
    }
}
