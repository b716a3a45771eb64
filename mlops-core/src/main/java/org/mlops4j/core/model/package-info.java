/**
 * Models: the open {@link org.mlops4j.core.model.Model} interface, bundles of files that can be stored
 * and verified ({@link org.mlops4j.core.model.ModelBundle}, {@link org.mlops4j.core.model.BundleManifest}),
 * and {@link org.mlops4j.core.model.Predictor}, which predicts from raw rows through the fitted chain.
 */
package org.mlops4j.core.model;
