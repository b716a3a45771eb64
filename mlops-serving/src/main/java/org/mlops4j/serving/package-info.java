/**
 * Serving registered models over HTTP: a prediction endpoint backed by
 * {@code org.mlops4j.core.model.Predictor}, input checks against the training profile, Micrometer metrics
 * and drift detection.
 *
 * <p>This module is reserved: its implementation arrives with the serving issue. Today models are
 * served in-process with {@code registry.predictor("name@alias")} from {@code mlops-core}.
 */
package org.mlops4j.serving;

import org.mlops4j.core.model.Predictor;
