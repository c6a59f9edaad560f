package io.safeimport.internal.db;

import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.TableSpec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyIn;

/**
 * New rows through {@code COPY ... FROM STDIN} on PostgreSQL (pgJDBC's {@link CopyManager}): the
 * rows are streamed to the server in its text format ({@link TextRows}) as they are written, never
 * through a file, on the run's own connection and inside its transaction. Changed rows go into a
 * temporary staging table the same way and are set by one {@code UPDATE ... FROM} ({@link #updateById}).
 *
 * <p>{@code COPY} returns no generated keys, so the ids of new rows are taken first, one
 * {@code nextval} per row of the table's identity sequence in one statement, and sent with the rows:
 * the ids are known without a second look-up, a dry-run or an unchanged re-import takes no sequence
 * value, and another session inserting at the same time cannot interleave with them. Unlike
 * MySQL's {@code LOCAL}, {@code COPY} fails as a whole on a key that exists or a value that does
 * not fit (and the transaction with it), so a load is either complete or an error.
 */
public final class PostgresCopy implements BulkWriter {
    /** Characters of rows sent to the server per message while a {@code COPY} streams. */
    private static final int BUFFER = 1 << 16;

    private final Handle handle;
    private final Dialect dialect;
    private final CopyManager copy;
    private final boolean canStage;
    /** Each table's identity sequence ({@code pg_get_serial_sequence}), asked once. */
    private final Map<String, String> sequences = new HashMap<>();

    private PostgresCopy(Handle handle, Dialect dialect, CopyManager copy, boolean canStage) {
        this.handle = handle;
        this.dialect = dialect;
        this.copy = copy;
        this.canStage = canStage;
    }

    /**
     * A loader on this handle's connection, or {@code null} when the bulk paths are off
     * ({@link BulkWriter#PROPERTY}). Whether this user may create temporary tables is asked now:
     * a refused {@code CREATE} would abort the whole transaction on PostgreSQL, so it must never be tried.
     */
    static PostgresCopy open(Handle handle, Dialect dialect) {
        if (!BulkWriter.enabled()) {
            return null;
        }
        try {
            CopyManager copy = handle.getConnection().unwrap(PGConnection.class).getCopyAPI();
            boolean temp = handle.createQuery("SELECT has_database_privilege(current_database(), 'TEMPORARY')").mapTo(Boolean.class).one();
            return new PostgresCopy(handle, dialect, copy, temp);
        } catch (SQLException e) {
            return null; // not pgJDBC's connection: INSERT statements
        }
    }

    /** {@inheritDoc} The ids are the identity sequence's next values, taken in one statement before the rows are sent. */
    @Override
    public Loaded load(TableSpec spec, List<ColumnSpec> columns, List<Object[]> rows) throws SQLException {
        String table = spec.name();
        if (rows.isEmpty()) {
            return new Loaded(0, 0, -1, null, false);
        }
        String sequence = sequences.computeIfAbsent(table, t -> handle.createQuery("SELECT pg_get_serial_sequence(:t, :id)")
                .bind("t", dialect.quote(t)).bind("id", spec.id()).mapTo(String.class).one());
        List<Long> ids = handle.createQuery("SELECT nextval(CAST(:s AS regclass)) FROM generate_series(1, :n)")
                .bind("s", sequence).bind("n", rows.size()).mapTo(Long.class).list();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long taken;
        try (Sender out = new Sender("COPY " + dialect.quote(table) + " (" + dialect.quote(spec.id()) + ", " + dialect.quotedColumns(columns) + ") FROM STDIN")) {
            Object[] withId = new Object[columns.size() + 1];
            for (int r = 0; r < rows.size(); r++) {
                long id = ids.get(r);
                first = Math.min(first, id);
                last = Math.max(last, id);
                withId[0] = id;
                System.arraycopy(rows.get(r), 0, withId, 1, columns.size());
                out.row(withId);
            }
            taken = out.end();
        }
        return new Loaded(taken, first, last, null, false);
    }

    /**
     * {@inheritDoc} The staging table is created empty from {@code table}'s own columns, filled by
     * {@code COPY}, and read by one {@code UPDATE ... FROM}; it is dropped at once (and at the end
     * of the transaction in any case). {@code null} when this user may not create temporary tables.
     */
    @Override
    public Updated updateById(TableSpec spec, List<ColumnSpec> columns, List<Object[]> rows) throws SQLException {
        if (!canStage) {
            return null;
        }
        String table = spec.name();
        String id = dialect.quote(spec.id());
        String stage = dialect.quote("si_stage_" + table);
        String cols = dialect.quotedColumns(columns);
        Connection connection = handle.getConnection();
        try (Statement st = connection.createStatement()) {
            st.execute("DROP TABLE IF EXISTS pg_temp." + stage);
            st.execute("CREATE TEMPORARY TABLE " + stage + " ON COMMIT DROP AS SELECT " + id + ", " + cols + " FROM " + dialect.quote(table) + " WHERE FALSE");
            try {
                long staged;
                try (Sender out = new Sender("COPY " + stage + " (" + id + ", " + cols + ") FROM STDIN")) {
                    for (Object[] row : rows) {
                        out.row(row);
                    }
                    staged = out.end();
                }
                StringBuilder set = new StringBuilder();
                for (ColumnSpec c : columns) {
                    set.append(set.length() == 0 ? "" : ", ").append(dialect.quote(c.name())).append(" = s.").append(dialect.quote(c.name()));
                }
                long matched = st.executeLargeUpdate("UPDATE " + dialect.quote(table) + " t SET " + set + " FROM " + stage + " s WHERE t." + id + " = s." + id);
                return new Updated(staged, matched, null);
            } finally {
                st.execute("DROP TABLE IF EXISTS pg_temp." + stage);
            }
        }
    }

    /** {@code COPY FROM STDIN} needs no privilege beyond writing the table: the database never refuses the path itself. */
    @Override
    public boolean refused(Throwable e) {
        return false;
    }

    /**
     * One {@code COPY ... FROM STDIN} being streamed, {@link #BUFFER} characters of rows at a time.
     * Closing it without {@link #end} cancels the copy (the server then discards what it received),
     * so an exception half-way sends nothing more.
     */
    private final class Sender implements AutoCloseable {
        private final CopyIn in;
        private final StringBuilder pending = new StringBuilder(BUFFER + 1024);
        private boolean ended;

        Sender(String sql) throws SQLException {
            this.in = copy.copyIn(sql);
        }

        void row(Object[] values) throws SQLException {
            TextRows.line(pending, values);
            if (pending.length() >= BUFFER) {
                send();
            }
        }

        private void send() throws SQLException {
            byte[] bytes = pending.toString().getBytes(StandardCharsets.UTF_8);
            pending.setLength(0);
            in.writeToCopy(bytes, 0, bytes.length);
        }

        /** Ends the copy; the rows the server took. */
        long end() throws SQLException {
            ended = true;
            if (pending.length() > 0) {
                send();
            }
            return in.endCopy();
        }

        @Override
        public void close() throws SQLException {
            if (!ended && in.isActive()) {
                in.cancelCopy();
            }
        }
    }
}
