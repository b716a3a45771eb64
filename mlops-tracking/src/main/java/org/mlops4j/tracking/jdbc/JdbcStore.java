package org.mlops4j.tracking.jdbc;

import org.mlops4j.core.StoreException;
import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.tracking.internal.Deadline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The base of the stores on a SQL database (SQLite or PostgreSQL): it owns the connection pools, and every
 * store on it reads and writes through the same transactions and the same translation of database errors
 * into the store failures of mlops4j, written once here. Each store brings only its own SQL and its own
 * Flyway migrations (one folder per dialect, applied when the database is opened, under a lock so several
 * processes may open a fresh database at once). {@link JdbcTrackingStore} is the tracking store on it, {@link JdbcRegistryStore} the model registry (both may
 * share one database).
 *
 * <p>Errors: a lost connection, a busy database past its timeout or a serialization failure becomes
 * {@link StoreUnavailableException} (nothing was written; retrying is safe); any other database error
 * becomes the store's own {@link StoreException} subtype (for tracking, {@code TrackingException}), with
 * the database's message and the {@link SQLException} as its cause. Thread-safe; close it when done.
 * {@snippet :
 * try (JdbcStore store = SqliteTrackingStore.open(Path.of("mlruns/mlops.db"))) {
 *     System.out.println(store.dialect() + " at " + store.location()); // sqlite at sqlite:/.../mlruns/mlops.db
 * }
 * }
 */
public abstract class JdbcStore implements AutoCloseable {
    private static final int IN_CHUNK = 500;

    private final Database database;
    private final StoreKind kind;
    private volatile boolean closed;

    /**
     * @param database the opened database, migrated for this kind of store; this store closes it
     * @param kind     the kind of store, for messages and errors
     */
    JdbcStore(Database database, StoreKind kind) {
        this.database = database;
        this.kind = kind;
    }

    /** @return {@code sqlite} or {@code postgresql} */
    public final String dialect() {
        return database.dialect().toString();
    }

    /** @return where the database is, as a URI without credentials */
    public final String location() {
        return database.location();
    }

    /** Closes the connection pools; further calls fail with {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            database.pools().close();
        } catch (Exception e) {
            throw kind.fail("closing " + location() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + location() + "]";
    }

    // ---- for the stores of this package ----

    /**
     * Work inside one transaction.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    interface Work<T> {
        /**
         * @param c the connection, inside the transaction
         * @return the result
         * @throws SQLException to roll the transaction back and fail it (translated by {@link #translate})
         */
        T apply(Connection c) throws SQLException;
    }

    /**
     * @param what what is being done, for the error message ("writing 3 batches")
     * @param work the transaction's work
     * @param <T>  its result
     * @return its result, once committed
     */
    final <T> T inWrite(String what, Work<T> work) {
        return transaction(database.writes(), true, what, work);
    }

    /**
     * @param what what is being read, for the error message
     * @param work the transaction's work
     * @param <T>  its result
     * @return its result
     */
    final <T> T inRead(String what, Work<T> work) {
        return transaction(database.reads(), false, what, work);
    }

    /**
     * Runs work in one transaction. SQLite connections stay in auto-commit mode and the transaction is
     * begun explicitly ({@code BEGIN IMMEDIATE} for writes: the write lock is taken up front, so two
     * writers never deadlock upgrading a read lock, and the busy timeout applies); PostgreSQL connections
     * come from the pool with auto-commit off. Any exception rolls back; a {@link SQLException} is
     * translated, a runtime exception (such as a conflict the work detected) passes unchanged.
     */
    private <T> T transaction(DataSource ds, boolean write, String what, Work<T> work) {
        if (closed) {
            throw new IllegalStateException("the " + kind.noun() + " store " + location() + " is closed");
        }
        boolean explicit = database.dialect().explicitTransactions();
        try (Connection c = ds.getConnection()) {
            if (explicit) {
                execute(c, write ? "BEGIN IMMEDIATE" : "BEGIN");
            } else {
                // Inside a server request's budget, PostgreSQL cancels what would outlive it (SQLite's
                // progress handler does the same for SQLite, see SqliteDatabase).
                OptionalLong left = Deadline.remainingMillis();
                if (left.isPresent()) {
                    execute(c, "SET LOCAL statement_timeout = " + left.getAsLong());
                }
            }
            try {
                T result = work.apply(c);
                if (explicit) {
                    execute(c, "COMMIT");
                } else {
                    c.commit();
                }
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    Deadline.shielded(() -> { // a cancelled statement still rolls back, leaving the connection clean
                        if (explicit) {
                            execute(c, "ROLLBACK");
                        } else {
                            c.rollback();
                        }
                        return null;
                    });
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e, what);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /**
     * Sorts a database error into the store failures.
     *
     * @param e    the error
     * @param what what was being done
     * @return {@link StoreUnavailableException} when retrying is safe and may succeed, else the store's own failure
     */
    final StoreException translate(SQLException e, String what) {
        String message = what + " in " + location() + " failed: " + e.getMessage();
        if (database.dialect().isTransient(e)) {
            return new StoreUnavailableException(message + " (nothing was written; retrying is safe)", e);
        }
        return kind.fail(message, e);
    }

    /**
     * @param e a failed statement
     * @return whether it broke a unique constraint (PostgreSQL's SQL state, SQLite's SQLITE_CONSTRAINT)
     */
    static boolean uniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState()) || (e.getErrorCode() & 0xff) == 19; // PostgreSQL, SQLITE_CONSTRAINT
    }

    // ---- small SQL helpers every store needs ----

    /**
     * @param id an id as the API sees it
     * @return the numeric database id, or null when it is not one (so it names nothing): ASCII digits only,
     *         so {@code "１"} or {@code "٣"} (which {@link Long#parseLong} would read as 1 and 3) name nothing
     */
    static Long parseId(String id) {
        if (id == null || id.isEmpty() || id.length() > 18 || !id.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return null;
        }
        return Long.parseLong(id);
    }

    /**
     * @param c     connection
     * @param sql   a query with one placeholder
     * @param value its value
     * @return whether it returns a row
     * @throws SQLException from the database
     */
    static boolean exists(Connection c, String sql, Object value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Sets key/value tags of an owner row, replacing values of keys it has ({@code table(owner, key, value)}
     * with a unique {@code (owner, key)}), in key order.
     *
     * @param c     connection
     * @param table the tag table
     * @param owner the owner column
     * @param id    the owner's id
     * @param tags  the tags
     * @throws SQLException from the database
     */
    static void upsertTags(Connection c, String table, String owner, long id, Map<String, String> tags) throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + owner + ", key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (" + owner + ", key) DO UPDATE SET value = excluded.value")) {
            for (Map.Entry<String, String> t : new TreeMap<>(tags).entrySet()) {
                ps.setLong(1, id);
                ps.setString(2, t.getKey());
                ps.setString(3, t.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Receives the rows of a query, one at a time. */
    @FunctionalInterface
    interface RowHandler {
        /**
         * @param rs positioned on a row
         * @throws SQLException from the database
         */
        void row(ResultSet rs) throws SQLException;
    }

    /**
     * Runs {@code sqlPrefix (?, ?, ...)} for many ids, {@value #IN_CHUNK} at a time.
     *
     * @param c         connection
     * @param sqlPrefix the query up to and including {@code IN }
     * @param ids       the ids
     * @param handler   receives every row
     * @throws SQLException from the database
     */
    static void forChunks(Connection c, String sqlPrefix, List<Long> ids, RowHandler handler) throws SQLException {
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            StringBuilder sql = new StringBuilder(sqlPrefix).append('(');
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            try (PreparedStatement ps = c.prepareStatement(sql.append(')').toString())) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        handler.row(rs);
                    }
                }
            }
        }
    }
}
