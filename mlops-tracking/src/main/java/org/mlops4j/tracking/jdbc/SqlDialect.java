package org.mlops4j.tracking.jdbc;

import org.mlops4j.core.tracking.spi.RunFilter.Condition;
import org.mlops4j.core.tracking.spi.RunFilter.Order;
import org.mlops4j.core.tracking.spi.RunFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two SQL dialects of the JDBC store and the translation of {@link RunFilter} into SQL with bound
 * values. The SQL reproduces {@link RunFilter#test} exactly: absent values never match, NaN (stored as
 * NULL) never matches, LIKE is case-sensitive (SQLite's LIKE is not, so SQLite uses GLOB), and missing
 * values sort last.
 */
enum SqlDialect {
    /** SQLite 3.35+ (RETURNING, NULLS LAST, upserts). */
    SQLITE("sqlite", ""),
    /** PostgreSQL 12+; strings compare byte-wise ("C" collation) as in Java and SQLite. */
    POSTGRESQL("postgresql", " COLLATE \"C\"");

    private final String migrations;
    private final String binaryCollation;

    SqlDialect(String migrations, String binaryCollation) {
        this.migrations = migrations;
        this.binaryCollation = binaryCollation;
    }

    /** @return the Flyway location of this dialect's migrations */
    public String migrationLocation() {
        return "classpath:org/mlops4j/tracking/db/" + migrations;
    }

    /**
     * SQL text with its bound values, in order.
     *
     * @param sql    the text
     * @param values the values for its placeholders
     */
    public record Fragment(String sql, List<Object> values) {
    }

    /** The run columns every run query selects, aliased {@code r} (and {@code p} for the parent). */
    public static final String RUN_COLUMNS =
            "r.id, r.uuid, r.experiment_id, r.name, p.uuid, r.status, r.start_time, r.end_time";
    /** The FROM clause matching {@link #RUN_COLUMNS}. */
    public static final String RUN_FROM = " FROM runs r LEFT JOIN runs p ON p.id = r.parent_id";

    /**
     * @param experimentIds numeric experiment ids
     * @param filter        the parsed filter
     * @param orders        the parsed order
     * @param limit         rows to return
     * @param offset        rows to skip
     * @return the search query
     */
    public Fragment search(List<Long> experimentIds, RunFilter filter, List<Order> orders, int limit, long offset) {
        StringBuilder sql = new StringBuilder("SELECT ").append(RUN_COLUMNS).append(RUN_FROM).append(" WHERE r.experiment_id IN (");
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < experimentIds.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
            values.add(experimentIds.get(i));
        }
        sql.append(')');
        for (Condition c : filter.conditions()) {
            sql.append(" AND ");
            condition(c, sql, values);
        }
        sql.append(" ORDER BY ");
        for (Order o : orders) {
            sql.append(orderExpression(o, values)).append(o.ascending() ? " ASC" : " DESC").append(" NULLS LAST, ");
        }
        sql.append("r.start_time DESC, r.uuid").append(binaryCollation).append(" ASC LIMIT ? OFFSET ?");
        values.add(limit);
        values.add(offset);
        return new Fragment(sql.toString(), values);
    }

    private void condition(Condition c, StringBuilder sql, List<Object> values) {
        switch (c.entity()) {
            case METRIC -> {
                sql.append("EXISTS (SELECT 1 FROM latest_metrics lm JOIN metric_keys k ON k.id = lm.key_id"
                        + " WHERE lm.run_id = r.id AND k.key = ? AND lm.value ").append(c.op().symbol()).append(" ?)");
                values.add(c.key());
                values.add(c.value());
            }
            case PARAM, TAG -> {
                String table = c.entity() == RunFilter.Entity.PARAM ? "params" : "tags";
                sql.append("EXISTS (SELECT 1 FROM ").append(table).append(" x WHERE x.run_id = r.id AND x.key = ? AND ");
                values.add(c.key());
                stringComparison("x.value", c, sql, values);
                sql.append(')');
            }
            case ATTRIBUTE -> {
                switch (c.key()) {
                    case "run_id" -> stringComparison("r.uuid", c, sql, values);
                    case "run_name" -> stringComparison("r.name", c, sql, values);
                    case "status" -> stringComparison("r.status", c, sql, values);
                    case "start_time", "end_time" -> {
                        sql.append("r.").append(c.key()).append(' ').append(c.op().symbol()).append(" ?");
                        values.add(c.value());
                    }
                    default -> throw new IllegalArgumentException("unknown attribute " + c.key());
                }
            }
        }
    }

    private void stringComparison(String column, Condition c, StringBuilder sql, List<Object> values) {
        switch (c.op()) {
            case EQ, NE -> {
                sql.append(column).append(c.op() == RunFilter.Op.EQ ? " = ?" : " <> ?");
                values.add(c.value());
            }
            case IN, NOT_IN -> {
                sql.append(column).append(c.op() == RunFilter.Op.IN ? " IN (" : " NOT IN (");
                for (int i = 0; i < c.values().size(); i++) {
                    sql.append(i == 0 ? "?" : ", ?");
                    values.add(c.values().get(i));
                }
                sql.append(')');
            }
            case LIKE, ILIKE -> like(column, (String) c.value(), c.op() == RunFilter.Op.ILIKE, sql, values);
            default -> throw new IllegalArgumentException(column + " does not support " + c.op().symbol());
        }
    }

    private void like(String column, String pattern, boolean ignoreCase, StringBuilder sql, List<Object> values) {
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
    static String glob(String like) {
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

    private String orderExpression(Order o, List<Object> values) {
        return switch (o.entity()) {
            case METRIC -> {
                values.add(o.key());
                yield "(SELECT lm.value FROM latest_metrics lm JOIN metric_keys k ON k.id = lm.key_id"
                        + " WHERE lm.run_id = r.id AND k.key = ?)";
            }
            case PARAM, TAG -> {
                values.add(o.key());
                yield "(SELECT x.value FROM " + (o.entity() == RunFilter.Entity.PARAM ? "params" : "tags")
                        + " x WHERE x.run_id = r.id AND x.key = ?)" + binaryCollation;
            }
            case ATTRIBUTE -> switch (o.key()) {
                case "run_id" -> "r.uuid" + binaryCollation;
                case "run_name" -> "r.name" + binaryCollation;
                case "status" -> "r.status" + binaryCollation;
                case "start_time", "end_time" -> "r." + o.key();
                default -> throw new IllegalArgumentException("unknown attribute " + o.key());
            };
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
