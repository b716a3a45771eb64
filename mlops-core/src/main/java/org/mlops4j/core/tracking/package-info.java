/**
 * Experiment tracking: {@link org.mlops4j.core.tracking.Tracker} and
 * {@link org.mlops4j.core.tracking.ActiveRun} (params, metrics, tags, artifacts, nested runs; logging
 * never waits for the store), queries, comparisons, and the run environment.
 */
package org.mlops4j.core.tracking;
