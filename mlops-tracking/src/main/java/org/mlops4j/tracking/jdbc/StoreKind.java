package org.mlops4j.tracking.jdbc;

import org.mlops4j.core.StoreException;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * One kind of store on {@link JdbcStore} (tracking, and the model registry: {@link JdbcRegistryStore}): the tables it keeps are
 * created by its own Flyway migrations, recorded in its own history table, so several kinds can share one
 * database without knowing of each other; its failures that are not worth retrying are its own subtype of
 * {@link StoreException}.
 *
 * @param noun         what the store is called in messages ({@code "tracking"}: "the tracking store ... is closed")
 * @param migrations   classpath folder holding one folder of migrations per dialect ({@code <folder>/sqlite},
 *                     {@code <folder>/postgresql}); Flyway scans folders recursively, so no kind's folder lies
 *                     inside another's
 * @param historyTable Flyway's history table of these migrations
 * @param failure      makes the store's exception for a refused request, from a message and a cause
 */
record StoreKind(String noun, String migrations, String historyTable, BiFunction<String, Throwable, ? extends StoreException> failure) {
    StoreKind {
        Objects.requireNonNull(noun, "noun");
        Objects.requireNonNull(migrations, "migrations");
        Objects.requireNonNull(historyTable, "historyTable");
        Objects.requireNonNull(failure, "failure");
    }

    /**
     * @param message what failed, naming the database
     * @param cause   the underlying failure
     * @return the store's exception
     */
    StoreException fail(String message, Throwable cause) {
        return failure.apply(message, cause);
    }
}
