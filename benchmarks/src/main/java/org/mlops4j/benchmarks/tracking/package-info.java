/**
 * JMH benchmarks of durable tracking (mlops-tracking): sustained ingest into SQLite, the calling thread's
 * cost of {@code logMetric}, reading a metric history of 1,000,000 points, and the official MLflow Java
 * client against {@code mlops server} versus the embedded API. Each benchmark class measures its baseline
 * in the same run; figures and commands are in BENCHMARKS.md, section "Tracking (mlops-tracking)".
 */
package org.mlops4j.benchmarks.tracking;
