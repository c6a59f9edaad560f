package io.safeimport.spi;

/**
 * A self-reference an importer's rows must never make circular, such as a user's manager: the
 * planner follows the chain from every row the run changes and refuses the rows on a cycle the run
 * would close (cycles already stored are the integrity checks' business).
 *
 * @param table     the table whose self-reference it is (the table's {@link TableSpec#selfReference()})
 * @param csvColumn the CSV column that names the referenced row, for the error
 * @param code      the error code ({@code manager_cycle})
 * @param message   the error message, a format with the row's key ({@code %1$s}) and the number of
 *                  rows on the cycle ({@code %2$d})
 */
public record AcyclicReference(String table, String csvColumn, String code, String message) {
}
