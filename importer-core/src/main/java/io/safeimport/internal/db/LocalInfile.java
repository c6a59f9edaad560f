package io.safeimport.internal.db;

import io.safeimport.internal.io.ScratchFolders;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * New rows through {@code LOAD DATA LOCAL INFILE} on MySQL/MariaDB (Connector/J): the server reads
 * a tab-separated stream instead of parsing a thousand-row {@code INSERT} statement; changed rows
 * through a temporary staging table loaded the same way ({@link #updateById}). Runs inside the
 * caller's transaction like any other statement, so nothing is visible before commit.
 *
 * <p>The driver may send files from one directory only ({@code allowLoadLocalInfileInPath}, see
 * {@link #directory()}): a private, owner-only directory of this process holding nothing but the
 * rows being loaded, each file deleted as soon as its statement ends, and the file that names the
 * process ({@link ScratchFolders}). A server can never ask for any other file.
 *
 * <p>{@code LOCAL} makes the server skip a row whose key already exists, or truncate a value that
 * does not fit, with a warning instead of failing the statement. {@link #load} therefore reports
 * the rows the server took and its first warning; the caller refuses the run on any shortfall or
 * warning (its transaction is rolled back: nothing is written).
 */
public final class LocalInfile implements BulkWriter {
    /** The server's warning for a row skipped because its key exists (ER_DUP_ENTRY). */
    public static final int DUPLICATE_KEY = 1062;

    private static Path directory;
    private static boolean directoryFailed;

    private final Connection connection;
    private final long increment;
    private final Dialect dialect;

    private LocalInfile(Connection connection, long increment, Dialect dialect) {
        this.connection = connection;
        this.increment = increment;
        this.dialect = dialect;
    }

    /**
     * The private directory the driver may send files from, created (owner-only) on first use and
     * removed when the process exits; {@code null} if it cannot be created (then there is no
     * {@code LOAD DATA} path and inserts use INSERT statements).
     */
    static synchronized Path directory() {
        if (directory == null && !directoryFailed && BulkWriter.enabled()) {
            try {
                // named after this process, so that the next run removes it if this one is killed
                Path dir = ScratchFolders.create("safeimport-infile-");
                ScratchFolders.deleteOnExit(dir);
                directory = dir.toRealPath();
            } catch (IOException | UnsupportedOperationException e) {
                directoryFailed = true;
            }
        }
        return directory;
    }

    /**
     * A loader on this handle's connection, or {@code null} when this path is off, has no directory,
     * or the server refuses {@code LOCAL} ({@code local_infile} is OFF): then the caller inserts with
     * INSERT statements.
     */
    static LocalInfile open(Handle handle, Dialect dialect) {
        if (!BulkWriter.enabled() || directory() == null) {
            return null;
        }
        return handle.createQuery("SELECT @@local_infile AS on_, @@auto_increment_increment AS inc")
                .map((rs, ctx) -> rs.getInt("on_") == 1 ? new LocalInfile(handle.getConnection(), Math.max(1, rs.getLong("inc")), dialect) : null)
                .findOne()
                .orElse(null);
    }

    /**
     * {@inheritDoc} The ids are consecutive under {@code innodb_autoinc_lock_mode} 0 and 1; the
     * caller matches them by key whatever the mode. Error 1148 or 3948 means the server refused
     * {@code LOCAL} after all ({@link #refused}).
     */
    @Override
    public Loaded load(TableSpec table, List<ColumnSpec> columns, List<Object[]> rows) throws SQLException {
        Path file = writeRows(rows);
        try (Statement st = connection.createStatement()) {
            long taken = st.executeLargeUpdate(loadStatement(file, dialect.quote(table.name()), dialect.quotedColumns(columns)));
            SQLWarning warning = st.getWarnings();
            long first;
            try (ResultSet rs = st.executeQuery("SELECT LAST_INSERT_ID()")) {
                rs.next();
                first = rs.getLong(1);
            }
            return new Loaded(taken, first, first + (taken - 1) * increment, warning == null ? null : warning.getMessage(),
                    warning != null && warning.getErrorCode() != DUPLICATE_KEY);
        } finally {
            delete(file);
        }
    }

    /**
     * {@inheritDoc} The rows are staged through {@code LOAD DATA}, then one {@code UPDATE ... JOIN}
     * sets them. A temporary table does not end the transaction. {@code null} also when the server
     * refused the temporary table (no privilege, GTID consistency rules) or {@code LOCAL}, or the
     * rows could not be written for it to read.
     */
    @Override
    public Updated updateById(TableSpec spec, List<ColumnSpec> columns, List<Object[]> rows) throws SQLException {
        String table = spec.name();
        String id = dialect.quote(spec.id());
        String stage = dialect.quote("si_stage_" + table);
        String cols = dialect.quotedColumns(columns);
        try (Statement st = connection.createStatement()) {
            try {
                st.execute("DROP TEMPORARY TABLE IF EXISTS " + stage);
                st.execute("CREATE TEMPORARY TABLE " + stage + " (PRIMARY KEY (" + id + ")) SELECT " + id + ", " + cols + " FROM " + dialect.quote(table) + " WHERE 1 = 0");
            } catch (SQLException e) {
                return null;
            }
            Path file = null;
            try {
                try {
                    file = writeRows(rows);
                } catch (UncheckedIOException e) {
                    return null; // before any row was staged: nothing changed
                }
                long staged;
                try {
                    staged = st.executeLargeUpdate(loadStatement(file, stage, id + ", " + cols));
                } catch (SQLException e) {
                    if (refused(e)) {
                        return null; // the server refused LOCAL before staging a row: nothing changed
                    }
                    throw e;
                }
                SQLWarning warning = st.getWarnings();
                if (staged != rows.size() || warning != null) {
                    return new Updated(staged, 0, warning == null ? null : warning.getMessage());
                }
                StringBuilder set = new StringBuilder();
                for (ColumnSpec c : columns) {
                    set.append(set.length() == 0 ? "" : ", ").append("t.").append(dialect.quote(c.name())).append(" = s.").append(dialect.quote(c.name()));
                }
                st.clearWarnings();
                long matched = st.executeLargeUpdate("UPDATE " + dialect.quote(table) + " t JOIN " + stage + " s ON t." + id + " = s." + id + " SET " + set);
                warning = st.getWarnings();
                return new Updated(staged, matched, warning == null ? null : warning.getMessage());
            } finally {
                if (file != null) {
                    delete(file);
                }
                st.execute("DROP TEMPORARY TABLE IF EXISTS " + stage);
            }
        }
    }

    private static String loadStatement(Path file, String table, String columns) {
        return "LOAD DATA LOCAL INFILE '" + file.toString().replace("\\", "\\\\").replace("'", "''") + "' INTO TABLE " + table
                + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (" + columns + ")";
    }

    /** Writes rows to a new file of the private directory, in the format {@link #loadStatement} reads. */
    private static Path writeRows(List<Object[]> rows) {
        Path file;
        try {
            file = Files.createTempFile(directory(), "rows-", ".tsv");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the rows to load under " + directory(), e);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder(256);
            for (Object[] row : rows) {
                line.setLength(0);
                TextRows.line(line, row);
                w.append(line);
            }
        } catch (IOException e) {
            delete(file);
            throw new UncheckedIOException("cannot write the rows to load to " + file, e);
        }
        return file;
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the directory is private and removed at exit; a leftover file is not worth failing the run for
        }
    }

    /** Whether the driver or server refused {@code LOAD DATA LOCAL} itself (rather than a row in it). */
    @Override
    public boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() == 1148 || s.getErrorCode() == 3948)) {
                return true;
            }
        }
        return false;
    }
}
