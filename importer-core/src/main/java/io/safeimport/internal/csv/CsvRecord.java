package io.safeimport.internal.csv;

import java.util.List;

/**
 * One CSV record as read, before any header matching or trimming.
 *
 * @param line   the 1-based physical line where the record starts; line breaks inside quoted
 *               fields count, so the next record's line accounts for them
 * @param fields the field values in file order, never {@code null} and never empty (an empty
 *               line read as a record is one empty field); immutable
 */
public record CsvRecord(long line, List<String> fields) {

    public CsvRecord {
        fields = List.copyOf(fields);
    }

    /** The number of fields. */
    public int size() {
        return fields.size();
    }

    /** The field at 0-based {@code index}. */
    public String get(int index) {
        return fields.get(index);
    }
}
