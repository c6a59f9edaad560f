package io.safeimport.spi;

/**
 * Where a {@link RowMapper} sends what a CSV row asks for. One CSV row may emit rows for several
 * tables (a history event and its compensation snapshot), each in a table the layout declared.
 */
public interface RowEmitter {

    /** Emits one target row. */
    void emit(TargetRow row);

    /** Reports that the row is deliberately not imported (for example {@code --levels-only}). */
    void skip(String reason);
}
