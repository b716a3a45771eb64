package org.mlops4j.core.data;

import org.mlops4j.core.MlopsException;

import java.util.Optional;

/**
 * Data that does not fit what was expected: a malformed CSV record, a wrong number of fields, text in a
 * numeric column, NaN or infinity, an empty file, a column without any value, a missing value where the
 * next step needs one.
 *
 * <p>The message always names where (file and line, or row), which column, which value, and what was
 * expected; the same facts are available as fields for programs:
 * {@snippet :
 * try {
 *     Csv.file("prices.csv").load();
 * } catch (InvalidDataException e) {
 *     e.source();  // "prices.csv"
 *     e.line();    // OptionalLong-like: Optional[17]
 *     e.column();  // Optional["RM"]
 *     e.value();   // Optional["abc"]
 * }
 * }
 */
public class InvalidDataException extends MlopsException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final Long line;
    private final String column;
    private final String value;

    /**
     * @param message full message, already naming source, line, column and value
     * @param source  file name or data set description (never null)
     * @param line    1-based line (or row) number, or null when the problem is not tied to one
     * @param column  column name, or null
     * @param value   offending value as text, or null
     * @param cause   underlying failure, or null
     */
    public InvalidDataException(String message, String source, Long line, String column, String value, Throwable cause) {
        super(message, cause);
        this.source = source == null ? "<data>" : source;
        this.line = line;
        this.column = column;
        this.value = value;
    }

    /** @return the file or data set the problem is in */
    public String source() {
        return source;
    }

    /** @return the 1-based line of the file (or row of an in-memory data set), when known */
    public Optional<Long> line() {
        return Optional.ofNullable(line);
    }

    /** @return the column name, when the problem is tied to one */
    public Optional<String> column() {
        return Optional.ofNullable(column);
    }

    /** @return the offending value as text, when there is one */
    public Optional<String> value() {
        return Optional.ofNullable(value);
    }
}
