package io.safeimport.api;

/**
 * One problem found in the input: where it is ({@code file}, 1-based physical {@code line}
 * where the record starts, {@code column} header name or {@code null} for the whole row),
 * a stable machine-readable {@code code} and a sentence a human understands.
 */
public record ImportError(String file, long line, String column, String code, String message) {

    /** One line for a terminal: {@code users.csv:12: column 'email': duplicate_email: ...}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(file == null ? "" : file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (column != null) {
            sb.append("column '").append(column).append("': ");
        }
        return sb.append(code).append(": ").append(message).toString();
    }
}
