/**
 * Profiles of data sets: counts, missing values, statistics, quantiles, histograms and category
 * frequencies per column ({@link org.mlops4j.core.data.profile.DataProfile}), kept with runs and bundles.
 */
package org.mlops4j.core.data.profile;
