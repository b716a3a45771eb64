package org.mlops4j.core.data;

import org.mlops4j.core.Task;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The label column as training and evaluation need it: numbers for a regression, class names for a
 * classification. Immutable and thread-safe. {@link #of} checks the label the way a user needs to hear
 * about it: an unknown column (naming the columns there are), missing labels (naming the first row), a
 * categorical label for a regression, a single class.
 * {@snippet :
 * Target medv = Target.of(data, "MEDV", Task.REGRESSION);
 * medv.value(0);                         // 24.0
 * Target species = Target.of(iris, "species", Task.CLASSIFICATION);
 * species.classes();                     // [setosa, versicolor, virginica]
 * }
 */
public final class Target {
    private final String name;
    private final Task task;
    private final double[] values;
    private final String[] labels;

    private Target(String name, Task task, double[] values, String[] labels) {
        this.name = name;
        this.task = task;
        this.values = values;
        this.labels = labels;
    }

    /**
     * @param data  the data set holding the label column
     * @param label the label column
     * @param task  what will be learned
     * @return the label column's values
     * @throws SchemaMismatchException when there is no such column, or a regression label is categorical
     * @throws InvalidDataException    when a row has no label, or a classification has a single class
     */
    public static Target of(Dataset data, String label, Task task) {
        return of(data, label, task, task == Task.REGRESSION ? "a regression" : "a classification");
    }

    /**
     * @param data    the data set holding the label column
     * @param label   the label column
     * @param task    what will be learned
     * @param learner what will learn from it, for messages ({@code "random_forest regression"})
     * @return the label column's values
     * @throws SchemaMismatchException when there is no such column, or a regression label is categorical
     * @throws InvalidDataException    when a row has no label, or a classification has a single class
     */
    public static Target of(Dataset data, String label, Task task, String learner) {
        return of(data, label, task, learner, false);
    }

    /**
     * A classification target taken as given: numbers that are not whole and labels with nearly as many
     * classes as rows are classes too (for codes that happen to be numbers, or many classes on purpose).
     *
     * @param data  the data set holding the label column
     * @param label the label column
     * @return the label column's values as classes
     * @throws SchemaMismatchException when there is no such column
     * @throws InvalidDataException    when a row has no label, or there is a single class
     */
    public static Target classesAsGiven(Dataset data, String label) {
        return of(data, label, Task.CLASSIFICATION, "a classification", true);
    }

    /** More distinct classes than this share of the rows (and at least {@value #MANY} rows) make a label look like an id or a number. */
    private static final double MOST_ROWS = 0.5;
    private static final int MANY = 20;

    private static Target of(Dataset data, String label, Task task, String learner, boolean asGiven) {
        Objects.requireNonNull(task, "task");
        Schema.Field f = data.schema().find(label).orElseThrow(() -> new SchemaMismatchException(
                "unknown label column '" + label + "' in " + data.source() + "; columns are " + data.schema().names()
                        + org.mlops4j.core.internal.Names.didYouMean(label, data.schema().names())));
        Column c = data.column(label);
        if (c.missingCount() > 0) {
            int r = 0;
            while (!c.isMissing(r)) {
                r++;
            }
            throw new InvalidDataException(data.origin(r) + ": no value for the label '" + label + "' (" + org.mlops4j.core.internal.Names.count(c.missingCount(), "row")
                    + (c.missingCount() == 1 ? " lacks" : " lack") + " one); every row needs a label, drop or fill those rows", data.source(), data.lineOf(r), label, null, null);
        }
        if (task == Task.REGRESSION) {
            if (!f.isNumeric()) {
                throw new SchemaMismatchException("label '" + label + "' in " + data.source()
                        + " is categorical but " + learner + " needs a numeric label");
            }
            return new Target(label, task, data.numeric(label).toArray(), null);
        }
        String[] classes = new String[data.rowCount()];
        for (int r = 0; r < classes.length; r++) {
            Object v = c.valueAt(r);
            if (!asGiven && v instanceof Double d && d != Math.rint(d)) {
                throw new InvalidDataException(data.origin(r) + ", label '" + label + "': " + Dataset.formatNumber(d)
                        + " is not a whole number, so the label looks continuous and " + learner + " would make every value"
                        + " a class of its own; train a regression instead (e.g. RandomForest.regression()), or, if these"
                        + " numbers really are classes, say so with acceptAnyClasses()", data.source(), data.lineOf(r), label,
                        Dataset.formatNumber(d), null);
            }
            classes[r] = v instanceof Double d ? Dataset.formatNumber(d) : v.toString();
        }
        int distinct = new TreeSet<>(Arrays.asList(classes)).size();
        if (distinct < 2) {
            throw new InvalidDataException("label '" + label + "' in " + data.source() + " has a single class '" + classes[0]
                    + "'; classification needs at least two", data.source(), null, label, classes[0], null);
        }
        if (!asGiven && classes.length >= MANY && distinct > MOST_ROWS * classes.length) {
            throw new InvalidDataException("label '" + label + "' in " + data.source() + " has " + distinct + " classes in "
                    + classes.length + " rows: it looks like an id or a measurement rather than a class, and " + learner
                    + " could not learn " + (classes.length / Math.max(1, distinct)) + " example(s) per class; train a"
                    + " regression instead, or, if these really are the classes, say so with acceptAnyClasses()",
                    data.source(), null, label, null, null);
        }
        return new Target(label, task, null, classes);
    }

    /**
     * @param name   the label's name
     * @param values one number per row
     * @return a regression target
     */
    public static Target numeric(String name, double... values) {
        return new Target(Objects.requireNonNull(name, "name"), Task.REGRESSION, values.clone(), null);
    }

    /**
     * @param name    the label's name
     * @param classes one class name per row, none null
     * @return a classification target
     */
    public static Target classes(String name, String... classes) {
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] == null) {
                throw new IllegalArgumentException("the class of row " + (i + 1) + " is null; every row needs a class");
            }
        }
        return new Target(Objects.requireNonNull(name, "name"), Task.CLASSIFICATION, null, classes.clone());
    }

    /** @return the label column's name */
    public String name() {
        return name;
    }

    /** @return regression (numbers) or classification (class names) */
    public Task task() {
        return task;
    }

    /** @return number of rows */
    public int size() {
        return values != null ? values.length : labels.length;
    }

    /**
     * @param row 0-based row
     * @return its number (regression)
     * @throws IllegalStateException for a classification target
     */
    public double value(int row) {
        if (values == null) {
            throw new IllegalStateException("target '" + name + "' holds classes, not numbers");
        }
        return values[row];
    }

    /**
     * @param row 0-based row
     * @return its class name (classification)
     * @throws IllegalStateException for a regression target
     */
    public String label(int row) {
        if (labels == null) {
            throw new IllegalStateException("target '" + name + "' holds numbers, not classes");
        }
        return labels[row];
    }

    /** @return a copy of the numbers (regression) */
    public double[] values() {
        if (values == null) {
            throw new IllegalStateException("target '" + name + "' holds classes, not numbers");
        }
        return values.clone();
    }

    /** @return a copy of the class names, one per row (classification) */
    public String[] labels() {
        if (labels == null) {
            throw new IllegalStateException("target '" + name + "' holds numbers, not classes");
        }
        return labels.clone();
    }

    /** @return the distinct classes, sorted (classification), else empty */
    public List<String> classes() {
        return labels == null ? List.of() : List.copyOf(new TreeSet<>(Arrays.asList(labels)));
    }

    /**
     * @param rows 0-based rows, in the order wanted
     * @return the target of those rows
     */
    public Target rows(int[] rows) {
        if (values != null) {
            double[] v = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                v[i] = values[rows[i]];
            }
            return new Target(name, task, v, null);
        }
        String[] c = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            c[i] = labels[rows[i]];
        }
        return new Target(name, task, null, c);
    }

    @Override
    public String toString() {
        return "Target[" + name + ", " + task.name().toLowerCase(java.util.Locale.ROOT) + ", " + size() + " rows"
                + (labels == null ? "" : ", classes " + classes()) + "]";
    }
}
