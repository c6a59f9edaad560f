package io.safeimport.spi;

/**
 * One CSV record handed to a {@link RowMapper}. Not thread-safe; valid only during the call.
 */
public interface CsvRow {

    /** The file name as the user gave it, for messages. */
    String file();

    /** The 1-based physical line where the record starts. */
    long line();

    /** Whether the header has this column (matched case-insensitively, blanks trimmed). */
    boolean has(String column);

    /**
     * The trimmed value of the column, or {@code null} when the cell is blank or the column is not
     * in the header. A blank cell therefore reads exactly like a missing one: it never erases.
     */
    String get(String column);

    /**
     * Records a problem with this row. The row is then {@code invalid}: nothing it emitted is
     * planned or written.
     */
    void reject(String column, String code, String message);

    /** Whether {@link #reject} was called for this row. */
    boolean rejected();
}
