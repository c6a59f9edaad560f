package io.safeimport.internal.pipeline;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.db.DbSettings;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/** Turns database exceptions met during a run into the exit codes of DESIGN.md §3. */
final class DbErrors {
    private DbErrors() {
    }

    /** Whether the exception means the connection to the database is gone. */
    static boolean isConnectionLoss(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLRecoverableException || c instanceof SQLNonTransientConnectionException
                    || c instanceof SQLTransientConnectionException
                    || c.getClass().getName().endsWith("CommunicationsException")) {
                return true;
            }
            if (c instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
            if (c instanceof SQLException s && (s.getErrorCode() == 90067 || s.getErrorCode() == 90098)) {
                return true; // H2: connection broken / database closed
            }
        }
        return false;
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

    /** A SafeImportException for any failure of the database during a run. */
    static SafeImportException translate(RuntimeException e, String during) {
        if (e instanceof SafeImportException s) {
            return s;
        }
        if (isConnectionLoss(e)) {
            return new SafeImportException(ExitCode.DATABASE, "the connection to the database was lost during " + during
                    + "; the transaction was not committed, so nothing was written. Check the server and run the command again", e);
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
