package io.safeimport.internal.pipeline;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.BulkWriter;
import io.safeimport.internal.db.Dialect;
import io.safeimport.internal.plan.RowIds;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.TableSpec;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Writes groups of changed rows that set the same columns (each element {@code {id, Map column -> value}}):
 * through a staging table ({@link BulkWriter#updateById}) for groups of {@link #STAGE_MIN_ROWS} or more
 * where the database offers one, else with a batch of UPDATE statements. Once the database refuses the
 * staging table, the rest of the run uses statements. Shared by imports and rollback's restore, so
 * it is its own class rather than part of {@link Applier}.
 */
final class UpdateWriter {
    /** Fewest rows worth a staging table: below this, creating and dropping it costs more than the statements. */
    private static final int STAGE_MIN_ROWS = 50;

    private final Handle handle;
    private final Dialect dialect;
    private final StepTimer timer;
    private BulkWriter bulk;

    /** @param bulk the database's bulk path, or {@code null} when it has none */
    UpdateWriter(Handle handle, Dialect dialect, BulkWriter bulk,
                 StepTimer timer) {
        this.handle = handle;
        this.dialect = dialect;
        this.bulk = bulk;
        this.timer = timer;
    }

    void write(TableSpec spec, List<String> cols, List<Object[]> group) {
        if (bulk != null && group.size() >= STAGE_MIN_ROWS && !spec.keyed()) { // the staging table joins on the surrogate id
            if (stageUpdates(bulk, dialect, spec, cols, group, timer) != null) {
                return;
            }
            bulk = null; // the database refused the staging table: statements from now on
        }
        updateStatements(handle, dialect, spec, cols, group, timer);
    }

    /**
     * Updates rows by id through {@code bulk}'s staging table; {@code null} when the database refused
     * the staging table (nothing changed). Refuses the run when the server did not take every row as
     * given or the update did not find every row.
     */
    private static BulkWriter.Updated stageUpdates(BulkWriter bulk, Dialect dialect, TableSpec spec, List<String> cols,
                                                   List<Object[]> group, StepTimer timer) {
        List<ColumnSpec> columns = cols.stream().map(spec::requireColumn).toList();
        List<Object[]> rows = new ArrayList<>(group.size());
        for (Object[] g : group) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) g[1];
            Object[] row = new Object[columns.size() + 1];
            row[0] = g[0];
            for (int i = 0; i < columns.size(); i++) {
                row[i + 1] = columns.get(i).type().canonical(values.get(cols.get(i)));
            }
            rows.add(row);
        }
        BulkWriter.Updated updated;
        long t = System.nanoTime();
        try {
            updated = bulk.updateById(spec, columns, rows);
        } catch (SQLException e) {
            if (DbErrors.isDataError(e)) {
                throw DbErrors.valueRefused(dialect, spec, cols, group, e);
            }
            throw new IllegalStateException("updating " + spec.name() + " rows failed: " + DbErrors.rootMessage(e), e);
        } finally {
            timer.add("apply.update.staged", System.nanoTime() - t);
        }
        if (updated != null && (updated.staged() != rows.size() || updated.matched() != rows.size() || updated.warning() != null)) {
            throw new SafeImportException(ExitCode.REFUSED, "the database did not take the new values of " + rows.size() + " "
                    + spec.name() + " rows as given (" + (updated.warning() != null ? updated.warning()
                    : updated.staged() + " staged, " + updated.matched() + " matched") + "); nothing was written");
        }
        return updated;
    }

    /** Updates a group of rows that set the same columns with one batch of UPDATE statements; see {@link UpdateWriter}. */
    private static void updateStatements(Handle handle, Dialect dialect, TableSpec spec, List<String> cols,
                                 List<Object[]> group,
                                 StepTimer timer) {
        long t = System.nanoTime();
        PreparedBatch b = handle.prepareBatch("UPDATE " + spec.name() + " SET "
                + String.join(", ", cols.stream().map(c -> c + " = :" + c).toList()) + " WHERE " + RowIds.whereOne(spec, "row__"));
        for (Object[] g : group) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) g[1];
            for (String c : cols) {
                ColumnValues.bind(b, spec.requireColumn(c), values.get(c));
            }
            RowIds.bind(b, spec, "row__", (Long) g[0]).add();
        }
        try {
            b.execute();
        } catch (RuntimeException e) {
            if (DbErrors.isDataError(e)) {
                throw DbErrors.valueRefused(dialect, spec, cols, group, e);
            }
            throw e;
        }
        timer.add("apply.update.statements", System.nanoTime() - t);
    }
}
