package io.safeimport.validators.checks;

import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.SqlDialect;
import io.safeimport.spi.Severity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * An integrity check that is one read-only query returning only the offending rows, streamed to
 * the consumer one by one (the database does the set work; Java never holds a table). The
 * consumer must not use the handle while findings arrive: on MySQL the result set is still
 * streaming then. A check may have a gate: a cheap query whose single number is zero when the
 * expensive query cannot find anything, so that clean data costs only the gate.
 */
final class QueryCheck implements IntegrityCheck {

    /** Turns one offending row into the key and sentence of its finding. */
    @FunctionalInterface
    interface Describer {
        Offender describe(ResultSet row) throws SQLException;
    }

    private final String code;
    private final Severity severity;
    private final String table;
    private final String description;
    private final Function<SqlDialect, String> sql;
    private final Describer describer;
    private final String gate;
    private final String foreignKeyColumn;
    /** Where the check is a condition on single rows ({@link #rows}), else {@code null}. */
    private final RowFilter rowFilter;

    private QueryCheck(String code, Severity severity, String table, String description,
                       Function<SqlDialect, String> sql, Describer describer, String gate, String foreignKeyColumn, RowFilter rowFilter) {
        this.foreignKeyColumn = foreignKeyColumn;
        this.rowFilter = rowFilter;
        this.code = Objects.requireNonNull(code);
        this.severity = Objects.requireNonNull(severity);
        this.table = Objects.requireNonNull(table);
        this.description = Objects.requireNonNull(description);
        this.sql = Objects.requireNonNull(sql);
        this.describer = Objects.requireNonNull(describer);
        this.gate = gate;
    }

    /** A check whose SQL is the same on every database. */
    static QueryCheck of(String code, Severity severity, String table, String description, String sql, Describer describer) {
        return new QueryCheck(code, severity, table, description, flavor -> sql, describer, null, null, null);
    }

    /**
     * A check that judges each row of {@code table} (alias {@code u}) on its own:
     * {@code SELECT columns FROM table u WHERE condition ORDER BY order}, also offered as a
     * {@link #rowFilter()} so that the pipeline can scan the table once for several of them.
     */
    static QueryCheck rows(String code, Severity severity, String table, String description,
                           List<String> columns, String condition, String order, Describer describer) {
        RowFilter filter = new RowFilter(columns, condition, order, row -> {
            Offender o = describer.describe(row);
            return new Finding(code, severity, table, o.key(), o.message());
        });
        String sql = filter.query(table);
        return new QueryCheck(code, severity, table, description, flavor -> sql, describer, null, null, filter);
    }

    /** A check whose SQL needs a database-specific expression. */
    static QueryCheck of(String code, Severity severity, String table, String description,
                         Function<SqlDialect, String> sql, Describer describer) {
        return new QueryCheck(code, severity, table, description, sql, describer, null, null, null);
    }

    /**
     * This check, run only when {@code gateSql} (one row, one number; no row counts as zero)
     * yields a number above zero.
     */
    QueryCheck onlyIf(String gateSql) {
        // a gated check is not a plain row filter: its gate decides whether it runs at all
        return new QueryCheck(code, severity, table, description, sql, describer, Objects.requireNonNull(gateSql), foreignKeyColumn, null);
    }

    /** This check, declared as finding only dangling values of {@code column} (see {@link IntegrityCheck#foreignKeyColumn()}). */
    QueryCheck danglingOnly(String column) {
        return new QueryCheck(code, severity, table, description, sql, describer, gate, Objects.requireNonNull(column), rowFilter);
    }

    @Override
    public RowFilter rowFilter() {
        return rowFilter;
    }

    @Override
    public String foreignKeyColumn() {
        return foreignKeyColumn;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public Severity severity() {
        return severity;
    }

    @Override
    public String table() {
        return table;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void run(Handle handle, SqlDialect dialect, Consumer<Finding> findings) {
        query(handle, dialect, sql.apply(dialect), findings);
    }

    private void query(Handle handle, SqlDialect flavor, String query, Consumer<Finding> findings) {
        if (gate != null && handle.createQuery(gate).mapTo(Long.class).findFirst().orElse(0L) <= 0) {
            return;
        }
        handle.createQuery(query)
                .setFetchSize(flavor.streamingFetchSize())
                .map((rs, ctx) -> describer.describe(rs))
                .forEach(o -> findings.accept(new Finding(code, severity, table, o.key(), o.message())));
    }

    @Override
    public String toString() {
        return code + " (" + severity.label() + ", " + table + ")";
    }
}
