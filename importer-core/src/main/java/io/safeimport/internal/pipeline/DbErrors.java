package io.safeimport.internal.pipeline;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.db.DbSettings;
import io.safeimport.internal.db.Dialect;
import io.safeimport.spi.TableSpec;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns database exceptions met during a run into the exit codes of DESIGN.md §3. Standard SQLSTATE
 * classes are read here; a database's own codes only by its {@link Dialect#failure}.
 */
final class DbErrors {
    private DbErrors() {
    }

    /** Whether the exception means the connection to the database is gone. */
    static boolean isConnectionLoss(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLRecoverableException || c instanceof SQLNonTransientConnectionException
                    || c instanceof SQLTransientConnectionException) {
                return true;
            }
            if (c instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        // what only a database's own codes say (a terminated PostgreSQL backend, a closed H2 database)
        return Dialect.failureOf(t) == Dialect.Failure.CONNECTION_LOST;
    }

    /** Whether the exception is a unique-key or foreign-key violation. */
    static boolean isConstraintViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLIntegrityConstraintViolationException) {
                return true;
            }
            if (c instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the exception is a data exception (SQLSTATE class 22: a value too long, out of range, or not a valid
     * date for its column): the database refused a value as given, which says nothing about other writers.
     */
    static boolean isDataError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The refusal (exit 5) for a value the database would not store as planned, {@code table} being where it was
     * going ({@code null} when unknown) and {@code detail} the database's words, which name the column. Validation
     * checks every value against its column, so this means the column is not what safeimport's schema says.
     */
    static SafeImportException valueRefused(String table, String detail, Throwable cause) {
        return valueRefused(table, detail, List.of(), cause);
    }

    /**
     * {@link #valueRefused(String, String, Throwable)} naming {@code columns}, those the value can have been meant
     * for when the database's words do not name the column ({@link Dialect#refusedColumns}).
     */
    static SafeImportException valueRefused(String table, String detail, List<String> columns, Throwable cause) {
        String message = detail.endsWith("; SQL statement:") ? detail.substring(0, detail.length() - "; SQL statement:".length()) : detail;
        String why = columns.isEmpty() ? message
                : message + ", in column " + String.join(" or ", columns);
        return new SafeImportException(ExitCode.REFUSED, "the database would not store a value" + (table == null ? "" : " of " + table)
                + " as planned (" + DbSettings.redact(why) + "); nothing was written. The column is narrower than safeimport's"
                + " reference schema expects: compare it with the migrations (safeimport db status) before importing again", cause);
    }

    /**
     * The refusal of a value a batch of statements or a bulk load wrote ({@code group}: elements whose second is
     * the row's {@code Map column -> value}), naming the column where the database's words do not
     * ({@link Dialect#refusedColumns}).
     */
    static SafeImportException valueRefused(Dialect dialect, TableSpec spec, List<String> cols,
                                            List<Object[]> group, Exception e) {
        String detail = rootMessage(e);
        Map<String, Integer> longest = new LinkedHashMap<>();
        for (Object[] g : group) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) g[1];
            for (String c : cols) {
                if (values.get(c) instanceof String text) {
                    longest.merge(c, text.codePointCount(0, text.length()), Math::max);
                }
            }
        }
        return valueRefused(spec.name(), detail, dialect.refusedColumns(detail, longest), e);
    }

    /** A SafeImportException for any failure of the database during a run. */
    static SafeImportException translate(RuntimeException e, String during) {
        if (e instanceof SafeImportException s) {
            return s;
        }
        if (isConnectionLoss(e)) {
            return new SafeImportException(ExitCode.DATABASE, "the connection to the database was lost during " + during
                    + "; the transaction was not committed, so nothing was written. Check the server and run the command again", e);
        }
        if (isDataError(e)) {
            return valueRefused(null, rootMessage(e), e);
        }
        return new SafeImportException(ExitCode.INTERNAL, "unexpected database error during " + during + ": "
                + DbSettings.redact(rootMessage(e)) + " — nothing was committed", e);
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
