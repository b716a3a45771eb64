/**
 * Model cards and evaluation reports: {@link org.mlops4j.core.report.ModelCard} (Markdown and self-contained HTML
 * with charts) and the {@link org.mlops4j.core.report.ModelCards#step} that attaches one to a bundle.
 */
package org.mlops4j.core.report;
