package io.safeimport.internal.db;

import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.TableSpec;
import java.sql.SQLException;
import java.util.List;

/**
 * A database's bulk path for the rows of one run: new rows loaded as one stream instead of
 * thousand-row {@code INSERT} statements, changed rows staged in a temporary table and written by one
 * {@code UPDATE}. It works on one connection, inside the caller's transaction like any other
 * statement, so nothing is visible before commit and a rollback takes everything away.
 * {@link Dialect#bulkWriter} hands one out where the database has such a path: MySQL/MariaDB's
 * {@code LOAD DATA LOCAL INFILE} ({@link LocalInfile}), PostgreSQL's {@code COPY ... FROM STDIN}
 * ({@link PostgresCopy}).
 */
public interface BulkWriter {
    /** System property that turns every bulk path off ({@code -Dsafeimport.bulk=false}): rows go through INSERT and UPDATE statements. */
    String PROPERTY = "safeimport.bulk";

    /** Whether the bulk paths are on (they are unless {@link #PROPERTY} says {@code false}). */
    static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));
    }

    /**
     * What one load did: rows the database took, the lowest and highest id it gave them, and its
     * first warning ({@code null} if none). {@code valueWarning} says that warning is about a value
     * the column could not hold as given (truncated or altered) rather than about a key that exists.
     */
    record Loaded(long rows, long firstId, long lastId, String warning, boolean valueWarning) {
    }

    /** What one {@link #updateById} did: rows the database took into the staging table, rows the update matched, its first warning. */
    record Updated(long staged, long matched, String warning) {
    }

    /**
     * Loads {@code rows} (values in {@code columns}' order, canonical Java values, {@code null} for
     * SQL NULL) into {@code table}.
     *
     * @return what the database took; the ids of a complete load lie between {@code firstId} and
     *         {@code lastId}, and the caller matches them to its rows by key (other sessions' rows
     *         may share the range)
     * @throws SQLException as the driver reports it; {@link #refused} tells whether the database
     *                      refused the bulk path itself, before taking a row
     * @throws java.io.UncheckedIOException when the rows cannot be written for the database to
     *                                      read; no statement has run then
     */
    Loaded load(TableSpec table, List<ColumnSpec> columns, List<Object[]> rows) throws SQLException;

    /**
     * Updates existing rows by id: {@code rows} are {@code id} followed by the new values of
     * {@code columns}, staged in a temporary table (same column types as {@code table}) and set by
     * one {@code UPDATE}. The staging table is dropped before this returns.
     *
     * @return what the database did, or {@code null} when it refused the staging table or the bulk
     *         path before a row was staged: nothing was changed, update the rows with statements
     * @throws SQLException as the driver reports it for the load or the update
     */
    Updated updateById(TableSpec table, List<ColumnSpec> columns, List<Object[]> rows) throws SQLException;

    /** Whether {@code e} is the database refusing the bulk path itself (not a row in it): go on with statements. */
    boolean refused(Throwable e);
}
