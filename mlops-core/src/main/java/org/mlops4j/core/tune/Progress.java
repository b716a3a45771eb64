package org.mlops4j.core.tune;

import org.mlops4j.core.internal.OptionalLibraries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * What a person sees while a study runs: a progress bar (trials done, best so far, time left) when the JVM
 * has a terminal and {@code me.tongfei:progressbar} is on the class path, else one DEBUG line per trial and
 * an INFO summary at the end. {@code -Dmlops.progress=false} turns the bar off.
 */
abstract class Progress {
    static final Logger LOG = LoggerFactory.getLogger(Study.class);

    static Progress start(Study<?> study) {
        if (System.console() != null && !"false".equals(System.getProperty("mlops.progress")) && OptionalLibraries.progressBar()) {
            return ConsoleProgress.start(study);
        }
        return new Progress() {
        };
    }

    void trial(Trial t, int done) {
        LOG.debug("trial {} {} {} {}", t.number(), t.state(), t.value() == null ? "" : String.format(Locale.ROOT, "%.6g", t.value()),
                t.params());
    }

    void end(StudyResult result) {
        if (result.count(TrialState.COMPLETE) > 0) {
            LOG.info("study: {} trials ({} pruned, {} failed), best trial {} {}={} {}", result.trials().size(),
                    result.count(TrialState.PRUNED), result.count(TrialState.FAILED), result.best().number(), result.metric(),
                    String.format(Locale.ROOT, "%.6g", result.best().value()), result.best().params());
        } else {
            LOG.warn("study: {} trials and none completed", result.trials().size());
        }
    }
}
