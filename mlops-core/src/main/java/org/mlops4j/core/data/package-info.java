/**
 * Data: {@link org.mlops4j.core.data.Dataset} (immutable, columnar, typed, versioned), where it comes
 * from ({@link org.mlops4j.core.data.DataSource}, {@link org.mlops4j.core.data.Csv}), its
 * {@link org.mlops4j.core.data.Schema} and {@link org.mlops4j.core.data.DatasetVersion}, the label as a
 * {@link org.mlops4j.core.data.Target}, and the errors bad data gets
 * ({@link org.mlops4j.core.data.InvalidDataException}, {@link org.mlops4j.core.data.SchemaMismatchException}).
 */
package org.mlops4j.core.data;
