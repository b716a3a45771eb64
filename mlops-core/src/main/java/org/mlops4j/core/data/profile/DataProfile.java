package org.mlops4j.core.data.profile;

import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.SchemaMismatchException;

import java.util.List;
import java.util.Objects;

/**
 * Summary statistics of every column of a data set, computed once when it is first asked for and kept
 * with the run and with the model bundle (for data validation, serving input checks and drift). Written
 * as {@code profile.json} by {@link #toJson()}, read back by {@link #fromJson(byte[])}.
 * {@snippet :
 * DataProfile p = DataProfile.of(dataset);   // the same as dataset.profile(): computed once, cached
 * NumericProfile rm = (NumericProfile) p.column("RM");
 * rm.mean(); rm.quantiles().p50(); rm.histogram().counts();
 * }
 *
 * @param rows    number of rows profiled
 * @param columns one profile per column, in schema order
 */
public record DataProfile(long rows, List<ColumnProfile> columns) {

    /** Copies the list. */
    public DataProfile {
        columns = List.copyOf(columns);
    }

    /**
     * @param dataset a data set
     * @return its profile (computed on first use and cached by the data set)
     */
    public static DataProfile of(Dataset dataset) {
        return dataset.profile();
    }

    /**
     * @param json a {@code profile.json} written by {@link #toJson()} (by this or an earlier release)
     * @return the profile
     * @throws IllegalArgumentException when the JSON is not a profile, naming what is wrong
     */
    public static DataProfile fromJson(byte[] json) {
        return ProfileJson.read(json);
    }

    /** @return this profile as {@code profile.json}: stable keys, each column tagged {@code numeric} or {@code categorical} */
    public byte[] toJson() {
        return ProfileJson.write(this);
    }

    /**
     * @param name column name
     * @return that column's profile
     * @throws SchemaMismatchException when no column has that name
     */
    public ColumnProfile column(String name) {
        Objects.requireNonNull(name, "name");
        for (ColumnProfile c : columns) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new SchemaMismatchException("no profile for column '" + name + "'; profiled columns are "
                + columns.stream().map(ColumnProfile::name).toList());
    }

    /** @return the row count and one short summary per column, for a terminal or JShell */
    @Override
    public String toString() {
        return "DataProfile[" + org.mlops4j.core.internal.Names.count(rows, "row") + ", "
                + org.mlops4j.core.internal.Names.count(columns.size(), "column") + ": " + String.join("; ", columns.stream()
                .map(ColumnProfile::summary).toList()) + "]";
    }

    /** @return a compact multi-line summary, one column a line */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(rows).append(" rows\n");
        for (ColumnProfile c : columns) {
            sb.append("  ").append(c.summary()).append('\n');
        }
        return sb.toString();
    }
}
