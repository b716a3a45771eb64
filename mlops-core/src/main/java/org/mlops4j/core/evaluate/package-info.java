/**
 * Evaluation: {@link org.mlops4j.core.evaluate.Evaluator}s and their
 * {@link org.mlops4j.core.evaluate.Evaluation}s (regression and classification metrics),
 * {@link org.mlops4j.core.evaluate.Split}s and {@link org.mlops4j.core.evaluate.CrossValidation}.
 */
package org.mlops4j.core.evaluate;
