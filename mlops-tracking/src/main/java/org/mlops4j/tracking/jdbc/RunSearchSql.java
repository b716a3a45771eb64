package org.mlops4j.tracking.jdbc;

import org.mlops4j.core.tracking.spi.RunFilter;
import org.mlops4j.core.tracking.spi.RunFilter.Condition;
import org.mlops4j.core.tracking.spi.RunFilter.Order;

import java.util.ArrayList;
import java.util.List;

/**
 * The translation of a run search ({@link RunFilter} and its order) into SQL over the tracking tables, with
 * bound values. The SQL reproduces {@link RunFilter#test} exactly: absent values never match, NaN (stored
 * as NULL) never matches, LIKE is case-sensitive, and missing values sort last.
 */
final class RunSearchSql {
    /** The run columns every run query selects, aliased {@code r} (and {@code p} for the parent). */
    static final String RUN_COLUMNS = "r.id, r.uuid, r.experiment_id, r.name, p.uuid, r.status, r.start_time, r.end_time";
    /** The FROM clause matching {@link #RUN_COLUMNS}. */
    static final String RUN_FROM = " FROM runs r LEFT JOIN runs p ON p.id = r.parent_id";

    private final SqlDialect dialect;

    RunSearchSql(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * SQL text with its bound values, in order.
     *
     * @param sql    the text
     * @param values the values for its placeholders
     */
    record Fragment(String sql, List<Object> values) {
    }

    /**
     * @param experimentIds numeric experiment ids
     * @param filter        the parsed filter
     * @param orders        the parsed order
     * @param limit         rows to return
     * @param offset        rows to skip
     * @return the search query
     */
    Fragment search(List<Long> experimentIds, RunFilter filter, List<Order> orders, int limit, long offset) {
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
        sql.append("r.start_time DESC, r.uuid").append(dialect.binaryCollation()).append(" ASC LIMIT ? OFFSET ?");
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
            case LIKE, ILIKE -> dialect.like(column, (String) c.value(), c.op() == RunFilter.Op.ILIKE, sql, values);
            default -> throw new IllegalArgumentException(column + " does not support " + c.op().symbol());
        }
    }

    private String orderExpression(Order o, List<Object> values) {
        String binary = dialect.binaryCollation();
        return switch (o.entity()) {
            case METRIC -> {
                values.add(o.key());
                yield "(SELECT lm.value FROM latest_metrics lm JOIN metric_keys k ON k.id = lm.key_id"
                        + " WHERE lm.run_id = r.id AND k.key = ?)";
            }
            case PARAM, TAG -> {
                values.add(o.key());
                yield "(SELECT x.value FROM " + (o.entity() == RunFilter.Entity.PARAM ? "params" : "tags")
                        + " x WHERE x.run_id = r.id AND x.key = ?)" + binary;
            }
            case ATTRIBUTE -> switch (o.key()) {
                case "run_id" -> "r.uuid" + binary;
                case "run_name" -> "r.name" + binary;
                case "status" -> "r.status" + binary;
                case "start_time", "end_time" -> "r." + o.key();
                default -> throw new IllegalArgumentException("unknown attribute " + o.key());
            };
        };
    }
}
