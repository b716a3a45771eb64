/**
 * Data contracts: {@link org.mlops4j.core.data.validate.Expectations} inferred from a training profile (each
 * column present with its type, a bound on missing values, numbers within the training range widened by a
 * tolerance, categories from the seen set), editable in code and as {@code expectations.json}; checked before
 * training and before predicting, with a {@link org.mlops4j.core.data.validate.ValidationReport} that lists every
 * violation.
 */
package org.mlops4j.core.data.validate;
