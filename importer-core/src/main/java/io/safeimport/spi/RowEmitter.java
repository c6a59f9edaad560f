package io.safeimport.spi;

import java.util.Map;

/**
 * Where a {@link RowMapper} sends what a CSV row asks for. One CSV row may emit rows for several
 * tables (a history event and its compensation snapshot), each in a table the layout declared.
 */
public interface RowEmitter {

    /** Emits one target row. */
    void emit(TargetRow row);

    /** Reports that the row is deliberately not imported (for example {@code --levels-only}). */
    void skip(String reason);

    /**
     * For a row the mapper rejected: the references its valid cells name, by the target column of
     * {@code table} they would fill ({@code team_id}, {@code manager_id}, ...). Nothing is written
     * for the row; the references are checked so that one run reports all of its errors (a
     * missing team together with a malformed date), not the second only once the first is fixed.
     * Leave out a reference the row's own errors already explain (a self-manager). The default
     * ignores them.
     */
    default void references(String table, Map<String, Ref> references) {
    }
}
