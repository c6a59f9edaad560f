package io.safeimport.internal.config;

/**
 * Where one CSV column's values go: {@code column} of the importer's table, or, with a
 * {@code ref}, the primary key of the row of {@code refTable} whose {@code refColumn} holds the value.
 *
 * @param csvColumn the CSV header, lower-case and trimmed
 * @param column    the table column it fills
 * @param refTable  the referenced table, {@code null} unless a reference
 * @param refColumn the referenced table's unique column the value is looked up in, {@code null} unless a reference
 * @param format    {@code null}, or {@code "email"} (trimmed, lower-cased, validated)
 * @param required  whether a blank value is an error
 * @param line      the 1-based line of the CSV column in the file
 */
public record ColumnMapping(String csvColumn, String column, String refTable, String refColumn, String format,
                            boolean required, int line) {
    /** Whether the value is looked up in another table. */
    public boolean isRef() {
        return refTable != null;
    }
}
