/** Micrometer meters of serving (Prometheus text by default) and the sampled prediction log. */
package org.mlops4j.serving.metrics;
