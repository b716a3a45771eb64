package org.mlops4j.core.tune;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Locale;

/** The terminal progress bar; loaded only when {@code me.tongfei:progressbar} is on the class path. */
final class ConsoleProgress extends Progress {
    private final ProgressBar bar;
    private final Direction direction;
    private Double best;

    private ConsoleProgress(ProgressBar bar, Direction direction) {
        this.bar = bar;
        this.direction = direction;
    }

    static Progress start(Study<?> study) {
        ProgressBar bar = new ProgressBarBuilder().setTaskName("study " + study.sampler().name()).setInitialMax(study.trials())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build();
        return new ConsoleProgress(bar, study.objectiveDirection());
    }

    @Override
    synchronized void trial(Trial t, int done) {
        super.trial(t, done);
        if (t.state() == TrialState.COMPLETE && (best == null || direction.better(t.value(), best))) {
            best = t.value();
        }
        bar.stepTo(done);
        bar.setExtraMessage(best == null ? "" : String.format(Locale.ROOT, "best %.5g", best));
    }

    @Override
    synchronized void end(StudyResult result) {
        bar.close();
        super.end(result);
        if (result.count(TrialState.COMPLETE) > 0) {
            System.err.print(result.table(5)); // the same stream as the bar: the person watching it
        }
    }
}
