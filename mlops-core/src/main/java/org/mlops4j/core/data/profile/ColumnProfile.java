package org.mlops4j.core.data.profile;

/**
 * Profile of one column: {@link NumericProfile} or {@link CategoricalProfile}.
 * {@snippet :
 * for (ColumnProfile c : dataset.profile().columns()) {
 *     System.out.println(c.name() + ": " + c.missing() + " missing");
 * }
 * }
 */
public sealed interface ColumnProfile permits NumericProfile, CategoricalProfile {

    /** @return column name */
    String name();

    /** @return number of present (non-missing) values */
    long count();

    /** @return number of missing values */
    long missing();

    /** @return one line for a terminal */
    String summary();
}
