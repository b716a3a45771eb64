package org.mlops4j.tracking.jdbc;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Locale;

/**
 * What differs between the two databases of the JDBC stores, for every store on {@link JdbcStore}: how a
 * transaction is begun, which errors are worth retrying, how strings compare byte-wise, and how a
 * case-sensitive LIKE is written (SQLite's LIKE ignores case, so SQLite uses GLOB).
 */
enum SqlDialect {
    /** SQLite 3.35+ (RETURNING, NULLS LAST, upserts). */
    SQLITE(""),
    /** PostgreSQL 12+; strings compare byte-wise ("C" collation) as in Java and SQLite. */
    POSTGRESQL(" COLLATE \"C\"");

    private final String binaryCollation;

    SqlDialect(String binaryCollation) {
        this.binaryCollation = binaryCollation;
    }

    /** @return the clause that makes a string expression compare byte-wise, with a leading space, or "" */
    String binaryCollation() {
        return binaryCollation;
    }

    /**
     * @return whether transactions are begun and ended with SQL statements on an auto-commit connection
     *         (SQLite: {@code BEGIN IMMEDIATE} takes the write lock up front) rather than by the driver
     *         (PostgreSQL: auto-commit off, {@code commit()})
     */
    boolean explicitTransactions() {
        return this == SQLITE;
    }

    /**
     * @param folder the classpath folder of a store's migrations
     * @return the Flyway location of this dialect's migrations in it
     */
    String migrationLocation(String folder) {
        return "classpath:" + folder + "/" + this;
    }

    /**
     * @param e a failed statement
     * @return whether nothing was written and retrying may succeed: lost connections, serialization
     *         failures, deadlocks, too many connections, and SQLite's busy and locked errors
     */
    boolean isTransient(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        int primary = e.getErrorCode() & 0xff;
        return e instanceof SQLTransientException
                || state.startsWith("08") || state.startsWith("57P") || state.equals("40001") || state.equals("40P01")
                || state.equals("53300")
                || (this == SQLITE && (primary == 5 || primary == 6)); // SQLITE_BUSY, SQLITE_LOCKED
    }

    /**
     * Appends a MLflow-style LIKE test (case-sensitive unless {@code ignoreCase}; no escape character) of a
     * string expression.
     *
     * @param column     the string expression
     * @param pattern    the pattern ({@code %} and {@code _})
     * @param ignoreCase ILIKE rather than LIKE
     * @param sql        where the SQL goes
     * @param values     where its bound values go
     */
    void like(String column, String pattern, boolean ignoreCase, StringBuilder sql, List<Object> values) {
        if (this == SQLITE) {
            // SQLite's LIKE ignores ASCII case; GLOB is case-sensitive. lower() folds ASCII like SQLite does.
            sql.append(ignoreCase ? "lower(" + column + ")" : column).append(" GLOB ?");
            values.add(glob(ignoreCase ? asciiLower(pattern) : pattern));
        } else {
            sql.append(column).append(ignoreCase ? " ILIKE ?" : " LIKE ?");
            values.add(pattern.replace("\\", "\\\\")); // backslash is PostgreSQL's LIKE escape; MLflow has none
        }
    }

    private static String asciiLower(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            sb.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : ch);
        }
        return sb.toString();
    }

    /** Translates a LIKE pattern into a GLOB pattern with the same meaning. */
    private static String glob(String like) {
        StringBuilder g = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char ch = like.charAt(i);
            switch (ch) {
                case '%' -> g.append('*');
                case '_' -> g.append('?');
                case '*', '?', '[' -> g.append('[').append(ch).append(']');
                default -> g.append(ch);
            }
        }
        return g.toString();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
