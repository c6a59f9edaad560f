package io.safeimport.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** PostgreSQL's SQLSTATEs fall in the classes the exit codes already read (issue 19). */
class DbErrorsTest {
    private static RuntimeException wrapped(String sqlState) {
        return new RuntimeException(new SQLException("from the server", sqlState));
    }

    @Test
    void postgresqlStatesAreClassified() {
        assertTrue(DbErrors.isConstraintViolation(wrapped("23505")), "unique violation");
        assertTrue(DbErrors.isConstraintViolation(wrapped("23503")), "foreign key violation");
        assertTrue(DbErrors.isDataError(wrapped("22001")), "value too long");
        assertTrue(DbErrors.isConnectionLoss(wrapped("08006")), "connection failure");
        assertTrue(DbErrors.isConnectionLoss(wrapped("57P01")), "terminated by pg_terminate_backend");
        assertFalse(DbErrors.isConnectionLoss(wrapped("57014")), "a cancelled statement keeps its connection");
        assertFalse(DbErrors.isConnectionLoss(wrapped("40P01")), "a deadlock keeps its connection");
        assertFalse(DbErrors.isDataError(wrapped("23505")));
    }
}
