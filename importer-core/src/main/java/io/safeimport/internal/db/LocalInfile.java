package io.safeimport.internal.db;

import io.safeimport.internal.io.ScratchFolders;
import io.safeimport.spi.ColumnSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
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
public final class LocalInfile {
    /** System property that turns this path off ({@code -Dsafeimport.localInfile=false}): inserts go through INSERT statements. */
    public static final String PROPERTY = "safeimport.localInfile";

    /** The server's warning for a row skipped because its key exists (ER_DUP_ENTRY). */
    public static final int DUPLICATE_KEY = 1062;

    /**
     * What one load did: rows the server took, the first id it generated, its first warning ({@code null} if none)
     * and that warning's server error code ({@code 0} if none): {@link #DUPLICATE_KEY} when a row's key exists,
     * another code when a value was truncated or altered (a value the column cannot hold).
     */
    public record Loaded(long rows, long firstId, long lastId, String warning, int warningCode) {
        /** Whether the first warning is about a value the column could not hold as given, rather than about a key. */
        public boolean valueWarning() {
            return warning != null && warningCode != DUPLICATE_KEY;
        }
    }

    private static Path directory;
    private static boolean directoryFailed;

    private final Connection connection;
    private final long increment;

    private LocalInfile(Connection connection, long increment) {
        this.connection = connection;
        this.increment = increment;
    }

    /**
     * The private directory the driver may send files from, created (owner-only) on first use and
     * removed when the process exits; {@code null} if it cannot be created (then there is no
     * {@code LOAD DATA} path and inserts use INSERT statements).
     */
    static synchronized Path directory() {
        if (directory == null && !directoryFailed && enabled()) {
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

    private static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));
    }

    /**
     * A loader on this handle's connection, or {@code null} when this path is off, has no directory,
     * or the server refuses {@code LOCAL} ({@code local_infile} is OFF): then the caller inserts with
     * INSERT statements.
     */
    static LocalInfile open(Handle handle) {
        if (!enabled() || directory() == null) {
            return null;
        }
        return handle.createQuery("SELECT @@local_infile AS on_, @@auto_increment_increment AS inc")
                .map((rs, ctx) -> rs.getInt("on_") == 1 ? new LocalInfile(handle.getConnection(), Math.max(1, rs.getLong("inc"))) : null)
                .findOne()
                .orElse(null);
    }

    /**
     * Loads {@code rows} (values in {@code columns}' order, canonical Java values, {@code null} for
     * SQL NULL) into {@code table}.
     *
     * @return what the server took; the ids of a complete load lie between {@code firstId} and
     *         {@code lastId} (consecutive under {@code innodb_autoinc_lock_mode} 0 and 1; the caller
     *         still matches them by key)
     * @throws SQLException as the driver reports it; error 1148 or 3948 means the server refused
     *                      {@code LOCAL} after all (see {@link #refusedLocal})
     * @throws UncheckedIOException when the rows cannot be written for the server to read; no
     *                              statement has run then
     */
    public Loaded load(String table, List<ColumnSpec> columns, List<Object[]> rows) throws SQLException {
        Path file = writeRows(rows);
        try (Statement st = connection.createStatement()) {
            long taken = st.executeLargeUpdate(loadStatement(file, table, columnList(columns, "")));
            SQLWarning warning = st.getWarnings();
            long first;
            try (ResultSet rs = st.executeQuery("SELECT LAST_INSERT_ID()")) {
                rs.next();
                first = rs.getLong(1);
            }
            return new Loaded(taken, first, first + (taken - 1) * increment, warning == null ? null : warning.getMessage(),
                    warning == null ? 0 : warning.getErrorCode());
        } finally {
            delete(file);
        }
    }

    /** What one {@link #updateById} did: rows the server took into the staging table, rows the update matched, its first warning. */
    public record Updated(long staged, long matched, String warning) {
    }

    /**
     * Updates existing rows by id: {@code rows} are {@code id} followed by the new values of
     * {@code columns}. The rows go into a temporary staging table (same column types, created
     * empty from {@code table}) through {@code LOAD DATA}, then one {@code UPDATE ... JOIN} sets
     * them: one statement instead of one per row. Inside the caller's transaction; a temporary
     * table does not end it. The staging table is dropped before this returns.
     *
     * @return what the server did, or {@code null} when it refused the temporary table (no
     *         privilege, GTID consistency rules), refused {@code LOCAL}, or the rows could not be
     *         written for it to read:
     *         nothing was changed, update the rows with statements
     * @throws SQLException as the driver reports it for the load or the update
     */
    public Updated updateById(String table, List<ColumnSpec> columns, List<Object[]> rows) throws SQLException {
        String stage = "si_stage_" + table;
        String cols = columnList(columns, "");
        try (Statement st = connection.createStatement()) {
            try {
                st.execute("DROP TEMPORARY TABLE IF EXISTS " + stage);
                st.execute("CREATE TEMPORARY TABLE " + stage + " (PRIMARY KEY (id)) SELECT id, " + cols + " FROM " + table + " WHERE 1 = 0");
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
                    staged = st.executeLargeUpdate(loadStatement(file, stage, "id, " + cols));
                } catch (SQLException e) {
                    if (refusedLocal(e)) {
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
                    set.append(set.length() == 0 ? "" : ", ").append("t.").append(c.name()).append(" = s.").append(c.name());
                }
                st.clearWarnings();
                long matched = st.executeLargeUpdate("UPDATE " + table + " t JOIN " + stage + " s ON t.id = s.id SET " + set);
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

    private static String columnList(List<ColumnSpec> columns, String prefix) {
        StringBuilder cols = new StringBuilder();
        for (ColumnSpec c : columns) {
            cols.append(cols.length() == 0 ? "" : ", ").append(prefix).append(c.name());
        }
        return cols.toString();
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
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) {
                        line.append('\t');
                    }
                    field(line, row[i]);
                }
                line.append('\n');
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
    public static boolean refusedLocal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() == 1148 || s.getErrorCode() == 3948)) {
                return true;
            }
        }
        return false;
    }

    /** Writes one value in the format of {@link #load}'s statement: {@code \N} for NULL, special characters escaped. */
    static void field(StringBuilder out, Object value) {
        if (value == null) {
            out.append("\\N");
        } else if (value instanceof Boolean b) {
            out.append(b ? '1' : '0');
        } else if (value instanceof BigDecimal d) {
            out.append(d.toPlainString());
        } else if (value instanceof String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\0' -> out.append("\\0");
                    default -> out.append(c);
                }
            }
        } else {
            out.append(value); // Integer, Long, LocalDate (ISO yyyy-MM-dd)
        }
    }
}
