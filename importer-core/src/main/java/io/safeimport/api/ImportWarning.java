package io.safeimport.api;

/**
 * Something an import reports without failing for it: where it is ({@code file} and 1-based
 * {@code line} for something of a CSV file, {@code table} for an integrity finding; each
 * {@code null} or 0 when it has none), a stable machine-readable {@code code} scripts can filter on,
 * and a sentence a human understands. Codes of the pipeline: {@code run_interrupted},
 * {@code lock_lost}, {@code rows_rejected}, {@code nothing_to_write}, {@code no_backup},
 * {@code no_validate}, {@code unknown_file}, and the codes of warning-severity integrity checks
 * (DESIGN.md §5), whose message starts with the row's key.
 */
public record ImportWarning(String code, String file, String table, long line, String message) {

    /** A warning about the run as a whole. */
    public static ImportWarning of(String code, String message) {
        return new ImportWarning(code, null, null, 0, message);
    }

    /** A warning about a file (no line). */
    public static ImportWarning ofFile(String code, String file, String message) {
        return new ImportWarning(code, file, null, 0, message);
    }

    /** A warning-severity integrity finding on a row of {@code table}. */
    public static ImportWarning ofTable(String code, String table, String key, String message) {
        return new ImportWarning(code, null, table, 0, key + ": " + message);
    }

    /**
     * One line for a terminal: {@code event_before_hire timeline_event ann@x.com: ...} for a finding,
     * {@code users.csv:12: ...} for a line of a file, else the message.
     */
    public String describe() {
        if (table != null) {
            return code + " " + table + " " + message;
        }
        if (file != null && line > 0) {
            return file + ":" + line + ": " + message;
        }
        return message;
    }

    @Override
    public String toString() {
        return describe();
    }
}
