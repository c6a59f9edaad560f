package io.safeimport.spi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * One post-import integrity check of DESIGN.md §5. A check only reads: it runs inside the
 * import's transaction (so it sees uncommitted writes) and must not write or commit. It streams
 * its findings to the consumer; it must work on every dialect (H2 in MySQL mode, MySQL/MariaDB).
 *
 * <p>Callers: the consumer is called while the check's result set is still streaming, so it must
 * not use the same handle (MySQL allows one open result per connection); collect, then query.
 */
public interface IntegrityCheck {

    /** Stable code, e.g. {@code user_manager_cycle}. */
    String code();

    Severity severity();

    /** The table whose rows it judges. */
    String table();

    /** One sentence: what it looks for. */
    String description();

    /**
     * Runs the check on {@code handle}, streaming its findings to {@code findings}.
     *
     * @param dialect the database the handle is connected to: where SQL or fetching must differ,
     *                the check asks it, never the connection's metadata
     */
    void run(Handle handle, SqlDialect dialect, Consumer<Finding> findings);

    /**
     * The reference column of {@link #table()} whose dangling values are all this check looks for
     * (e.g. {@code manager_id}), or {@code null}. Where the database enforces a foreign key on that
     * column, a row written with foreign key checks on cannot dangle, and an import that never
     * deletes cannot introduce a finding: the import pipeline then leaves the check out of its
     * before/after comparison. {@code validate} still runs it, as older rows may have been written
     * with foreign key checks off.
     */
    default String foreignKeyColumn() {
        return null;
    }

    /**
     * The check as a condition on single rows of {@link #table()}, or {@code null} when it is not
     * one (it groups, joins other tables or walks the data). {@link #run} of such a check is exactly
     * its {@link RowFilter#query}; the import pipeline runs the row filters of one table with the
     * same order as one scan of that table instead of one each, with the same findings.
     */
    default RowFilter rowFilter() {
        return null;
    }

    /**
     * What a {@link #rowFilter() row filter} check reads and looks for; stateless and thread-safe.
     *
     * @param columns   the select list {@code describer} reads, each on alias {@code u}, e.g. {@code u.email}
     * @param condition the SQL condition an offending row meets, on alias {@code u}; the same on H2 and MySQL
     * @param order     the order of its findings, e.g. {@code u.email, u.id}
     * @param describer the finding of an offending row, read from a result set that holds at least
     *                  {@code columns}, by their labels
     */
    record RowFilter(List<String> columns, String condition, String order, Describer describer) {
        public RowFilter {
            columns = List.copyOf(columns);
        }

        /** Turns one offending row into its finding. */
        @FunctionalInterface
        public interface Describer {
            Finding describe(ResultSet row) throws SQLException;
        }

        /** The check's own query: {@code SELECT columns FROM table u WHERE condition ORDER BY order}. */
        public String query(String table) {
            return "SELECT " + String.join(", ", columns) + " FROM " + table + " u WHERE " + condition + " ORDER BY " + order;
        }

        /** The finding of an offending row. */
        public Finding describe(ResultSet row) throws SQLException {
            return describer.describe(row);
        }
    }
}
