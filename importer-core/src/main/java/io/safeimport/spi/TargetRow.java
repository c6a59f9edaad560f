package io.safeimport.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one CSV row asks for in one table: the natural key, and the values of the columns the
 * row fills. A column is absent when its cell was blank or missing (a blank never erases).
 * Values are canonical ({@link ColumnType#canonical}) or, for reference columns, a {@link Ref}.
 */
public final class TargetRow {
    private final String table;
    private final Map<String, Object> key;
    private final Map<String, Object> values;
    private final boolean insertOnly;

    public TargetRow(String table, Map<String, Object> key, Map<String, Object> values, boolean insertOnly) {
        this.table = table;
        this.key = Collections.unmodifiableMap(new LinkedHashMap<>(key));
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.insertOnly = insertOnly;
    }

    public String table() {
        return table;
    }

    /** Natural key column to value ({@link Ref} for a key column that is a reference). */
    public Map<String, Object> key() {
        return key;
    }

    /** Non-key column to value; only columns the CSV row filled. */
    public Map<String, Object> values() {
        return values;
    }

    /** {@code true} when an existing row must be left as it is (inserted if new, else unchanged). */
    public boolean insertOnly() {
        return insertOnly;
    }
}
