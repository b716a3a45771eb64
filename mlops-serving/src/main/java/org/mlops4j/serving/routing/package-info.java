/**
 * Routing and version following: the {@link org.mlops4j.serving.routing.ModelRouter} maps model names to what is
 * deployed (primary, canary, shadow), the {@link org.mlops4j.serving.routing.AliasFollower} refreshes it in the
 * background, and {@link org.mlops4j.serving.routing.Scorer} is the seam to the predictor.
 */
package org.mlops4j.serving.routing;
