package org.mlops4j.core;

import org.mlops4j.core.train.RandomForest;

/**
 * What a model predicts: a number ({@link #REGRESSION}) or a class ({@link #CLASSIFICATION}).
 * {@snippet :
 * RandomForest.regression().task();      // REGRESSION
 * RandomForest.classification().task();  // CLASSIFICATION
 * }
 */
public enum Task {
    /** Predicts a number; evaluated with RMSE, MAE, R² and MAPE. */
    REGRESSION,
    /** Predicts one of a set of classes; evaluated with accuracy, macro-F1 and a confusion matrix. */
    CLASSIFICATION
}
