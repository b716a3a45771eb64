package org.mlops4j.core.train;

import java.util.Locale;

/** Checks the built-in trainers share. */
final class Trainers {
    private Trainers() {
    }

    /** A regression trainer given class names (or the reverse) says so instead of training nonsense. */
    static void requireTask(Trainer trainer, TrainingSet train) {
        if (train.task() != trainer.spec().task()) {
            throw new IllegalArgumentException(trainer.spec().name() + " " + trainer.spec().task().name().toLowerCase(Locale.ROOT)
                    + " cannot learn a " + train.task().name().toLowerCase(Locale.ROOT) + " target");
        }
    }
}
